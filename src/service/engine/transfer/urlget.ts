/**
 * The http(s) client of the imports from URLs: a URL checked, then one GET
 * (identity encoding, redirects followed, at most `MAX_REDIRECTS`) whose
 * response is handed over with its body not yet read.
 */
// eslint-disable-next-line no-restricted-imports -- a client fetching what is imported; the engine still serves no HTTP
import * as http from 'node:http';
import * as https from 'node:https';
import { EosError } from '../../../core';

/** Redirects followed before a URL is given up. */
export const MAX_REDIRECTS = 5;
/** How long a server may take to answer with headers, and to send the next bytes. */
export const RESPONSE_TIMEOUT_MS = 60_000;

/** A control character (none may be in an object name taken from a server). */
export function isControl(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return cp < 0x20 || cp === 0x7f;
}

/** A URL checked: http(s), with a host. */
export function parseImportUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EosError('InvalidRequest', `Not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EosError('InvalidRequest', `Only http:// and https:// URLs can be imported, not ${url.protocol}//`);
  }
  return url;
}

/** A body to store, not yet read: an http(s) response, or an S3 GET's (a copy from outside EOS). */
export interface IncomingBody {
  /** Where the bytes come from, for messages: a host, an `s3://` URI. */
  from: string;
  /** The bytes. */
  response: AsyncIterable<unknown>;
  /** Whether the whole body arrived once the bytes ended (an `IncomingMessage`'s `complete`). */
  ended: () => boolean;
  /** The length announced (identity encoding), or null. */
  length: number | null;
}

/** An answered request: its final URL, its status and the response, body not yet read. */
export interface Fetched extends IncomingBody {
  url: URL;
  status: number;
  response: http.IncomingMessage;
}

/** What a GET sends and takes. */
export interface GetOptions {
  /** Request headers besides the encoding and the user agent (a range, its preconditions). */
  headers?: Record<string, string>;
  /** The statuses answered rather than failed (default 200 only). */
  accept?: readonly number[];
}

/**
 * The response to one GET of `url`. A request sent on a kept-alive
 * connection the server closed at that moment (its idle timeout) fails with
 * ECONNRESET before any answer: it is sent once more on a new connection.
 */
function answer(url: URL, signal: AbortSignal, options: GetOptions, fresh = false): Promise<http.IncomingMessage> {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.get : http.get;
    const headers = { 'accept-encoding': 'identity', 'user-agent': 'jupyterlab-eos', ...options.headers };
    const request = get(url, { signal, headers, ...(fresh && { agent: false }) });
    request.setTimeout(RESPONSE_TIMEOUT_MS, () =>
      request.destroy(new EosError('Upstream', `${url.href} did not answer within ${RESPONSE_TIMEOUT_MS / 1000} s`))
    );
    request.once('response', resolve);
    request.once('error', err => {
      if (request.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && !signal.aborted) {
        answer(url, signal, options, true).then(resolve, reject);
        return;
      }
      reject(
        err instanceof EosError || signal.aborted
          ? err
          : new EosError('Upstream', `Cannot read ${url.href}: ${(err as Error).message}`)
      );
    });
  });
}

/** GET `url`, following redirects (at most MAX_REDIRECTS); a status not accepted fails. */
export async function fetchUrl(
  url: URL,
  signal: AbortSignal,
  options: GetOptions = {},
  redirects = 0
): Promise<Fetched> {
  const response = await answer(url, signal, options);
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400 && response.headers.location) {
    response.resume();
    if (redirects >= MAX_REDIRECTS) {
      throw new EosError('Upstream', `${url.href} redirected more than ${MAX_REDIRECTS} times`);
    }
    return fetchUrl(parseImportUrl(new URL(response.headers.location, url).href), signal, options, redirects + 1);
  }
  if (!(options.accept ?? [200]).includes(status)) {
    response.resume();
    const code = status === 404 || status === 410 ? 'NotFound' : 'Upstream';
    throw new EosError(code, `${url.href} answered ${status} ${response.statusMessage ?? ''}`.trim());
  }
  const encoded = (response.headers['content-encoding'] ?? 'identity') !== 'identity';
  const announced = Number(response.headers['content-length']);
  const length = !encoded && Number.isSafeInteger(announced) && announced >= 0 ? announced : null;
  return { url, status, from: url.host, response, length, ended: () => response.complete };
}
