/**
 * Errors as the user sees them: every failure is an `EosError`, and each
 * code has a translated headline; the service's message is the detail.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { EosError, ErrorCode } from '../core';

/** Any failure as an `EosError`: request errors already are one. */
export function asEosError(reason: unknown): EosError {
  if (reason instanceof EosError) {
    return reason;
  }
  return new EosError('Internal', reason instanceof Error ? reason.message : String(reason));
}

/** A short translated headline for an error code. */
export function errorTitle(code: ErrorCode, trans: TranslationBundle): string {
  const titles: Partial<Record<ErrorCode, string>> = {
    NotFound: trans.__('Not found'),
    AccessDenied: trans.__('Access denied'),
    Forbidden: trans.__('Access denied'),
    ReadOnly: trans.__('Read-only location'),
    Unauthorized: trans.__('Not authorized'),
    InvalidUri: trans.__('Invalid EOS URI'),
    InvalidRequest: trans.__('Invalid request'),
    NoCredentials: trans.__('No AWS credentials'),
    NotConfigured: trans.__('EOS is not configured'),
    Upstream: trans.__('EOS service unavailable'),
    NoSpace: trans.__('Not enough disk space')
  };
  return titles[code] ?? trans.__('EOS error');
}
