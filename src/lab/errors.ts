/**
 * Errors as the user sees them: every failure is an `EosError`, and each
 * code has a translated headline; the service's message is the detail.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { EosError, ErrorCode } from '../core';
import { isAbort } from './request';

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
    NoSpace: trans.__('Not enough disk space'),
    OutsideRoot: trans.__('Outside the Jupyter root'),
    PayloadTooLarge: trans.__('Request too large'),
    Internal: trans.__('EOS service error')
  };
  return titles[code] ?? trans.__('EOS error');
}

/**
 * The headline of a failed action: `errorTitle`, except that a `Conflict`
 * (a folder or file already there) says so.
 */
export function actionErrorTitle(code: ErrorCode, trans: TranslationBundle): string {
  return code === 'Conflict' ? trans.__('Already exists') : errorTitle(code, trans);
}

/** The text a "Show details" dialog shows for an error: its message, then the service's details. */
export function errorDetails(error: EosError): string {
  return error.details ? `${error.message}\n\n${error.details}` : error.message;
}

/** Show a block of text in a dialog (the "Show details" action of a notification). */
export async function showDetails(title: string, text: string, trans: TranslationBundle): Promise<void> {
  const body = document.createElement('pre');
  body.className = 'jp-EosDialog-details';
  body.textContent = text;
  await showDialog({
    title,
    body: new Widget({ node: body }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}

/** A notification action opening `text` in a dialog; the notification stays. */
export function detailsAction(title: string, text: () => string, trans: TranslationBundle): Notification.IAction {
  return {
    label: trans.__('Show details'),
    caption: trans.__('Show the full message'),
    callback: event => {
      event.preventDefault();
      void showDetails(title, text(), trans);
    }
  };
}

/**
 * Report a failure as an error notification: the translated headline of its
 * code and the message, with a "Show details" action. Aborted requests are not failures.
 *
 * @param what - what was being done, e.g. "Cannot delete"; prefixed to the headline.
 * @returns the notification id, or null when nothing was shown.
 */
export function notifyError(reason: unknown, trans: TranslationBundle, what?: string): string | null {
  if (isAbort(reason)) {
    return null;
  }
  const error = asEosError(reason);
  const title = actionErrorTitle(error.code, trans);
  const headline = what ? trans.__('%1: %2', what, title) : title;
  return Notification.error(trans.__('%1. %2', headline, error.message), {
    autoClose: false,
    actions: [detailsAction(headline, () => errorDetails(error), trans)]
  });
}
