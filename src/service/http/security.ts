/**
 * Request checks the proxy leaves to the service.
 *
 * jupyter-server-proxy authenticates every request but does not check XSRF,
 * so a state-changing request must prove it comes from a Jupyter page (the
 * `X-XSRFToken` header equals the `_xsrf` cookie, as JupyterLab's
 * `ServerConnection` sends it) or from a token client (an `Authorization`
 * header and no cookies: a cross-site page cannot send that header without a
 * CORS preflight that Jupyter refuses). Browsers' `Sec-Fetch-Site: cross-site` is refused outright.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { EosError } from '../../core';

/** Methods that change nothing and need no XSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The XSRF cookie Jupyter sets. */
export const XSRF_COOKIE = '_xsrf';

/** The values of every cookie called `name` in a `Cookie` header. */
export function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === name) {
      values.push(
        part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1')
      );
    }
  }
  return values;
}

/** Compare two secrets in constant time (whatever their lengths). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Refuse cross-site requests, and unsafe requests without XSRF proof.
 *
 * @throws EosError `Forbidden` with the reason.
 */
export function checkRequest(req: IncomingMessage): void {
  if (single(req.headers['sec-fetch-site'])?.toLowerCase() === 'cross-site') {
    throw new EosError('Forbidden', 'Cross-site requests are not allowed');
  }
  if (SAFE_METHODS.has(req.method ?? 'GET')) {
    return;
  }
  // A token client (an Authorization header and no cookies) needs no XSRF
  // token. With cookies present the token is required: Jupyter falls back to
  // cookie login when a token is wrong, so a bogus header proves nothing.
  if (single(req.headers.authorization) && !single(req.headers.cookie)) {
    return;
  }
  const token = single(req.headers['x-xsrftoken']);
  if (!token) {
    throw new EosError(
      'Forbidden',
      `${req.method} requests need an X-XSRFToken header equal to the ${XSRF_COOKIE} cookie (or, without cookies, an Authorization header)`
    );
  }
  const cookies = cookieValues(single(req.headers.cookie), XSRF_COOKIE).filter(v => v !== '');
  if (!cookies.some(cookie => safeEqual(cookie, token))) {
    throw new EosError('Forbidden', `The X-XSRFToken header does not match the ${XSRF_COOKIE} cookie`);
  }
}
