/**
 * The frontend's version, and the check that the service answering it is
 * the same release: after an upgrade a browser tab may hold the old
 * frontend, or a server the old service, and requests then go wrong in
 * ways that say nothing about why.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

/** package.json's version (a spec keeps them equal: the compiler cannot read a file outside src). */
export const FRONTEND_VERSION = '0.1.0';

/** What an unbundled service (a development run, the tests) reports: not compared. */
const DEVELOPMENT_VERSION = '0.0.0-dev';

let warned = false;

/**
 * Say once per page, as a warning notification, that the service's version
 * (its `whoami` answer) differs from the frontend's.
 *
 * @returns whether it warned now
 */
export function warnOnVersionMismatch(serviceVersion: string, trans: TranslationBundle): boolean {
  if (warned || serviceVersion === FRONTEND_VERSION || serviceVersion === DEVELOPMENT_VERSION) {
    return false;
  }
  warned = true;
  Notification.warning(
    trans.__(
      'The EOS panel (version %1) and the EOS service (version %2) differ: reload the page, or restart the server after an upgrade.',
      FRONTEND_VERSION,
      serviceVersion
    ),
    { autoClose: false }
  );
  return true;
}
