/**
 * The one way the frontend talks to the EOS service.
 *
 * Every call goes through `ServerConnection.makeRequest`, which adds the
 * Jupyter token and the XSRF header. S3 keys travel only in the query string
 * or the JSON body: the proxy in front of the service re-quotes URL paths.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { ERROR_STATUS, EosError, ErrorCode, isErrorCode } from '../core';

/** The path under the server's base URL where the service is proxied. */
export const SERVICE_PREFIX = 'eos';

/** Query values; `undefined` and `null` are left out of the query string. */
export type QueryValue = string | number | boolean | null | undefined;

/** How to call one route. */
export interface IRequestOptions {
  /** HTTP method; `GET` by default. */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Query parameters, encoded with `encodeURIComponent`. */
  query?: Record<string, QueryValue>;
  /** A JSON body (POST/PUT). */
  body?: unknown;
}

/**
 * A failed request: the service's `{code, message, details}` and the HTTP
 * status it answered with (0 when the server could not be reached).
 */
export class EosRequestError extends EosError {
  constructor(code: ErrorCode, message: string, status: number, details?: string) {
    super(code, message, details);
    this.name = 'EosRequestError';
    this._status = status;
  }

  /** The HTTP status of the response; 0 when there was none. */
  get status(): number {
    return this._status;
  }

  private _status: number;
}

/** Build the service URL of `route` with its query string. */
export function makeUrl(baseUrl: string, route: string, query: Record<string, QueryValue> = {}): string {
  const params = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  const url = URLExt.join(baseUrl, SERVICE_PREFIX, route);
  return params.length ? `${url}?${params.join('&')}` : url;
}

/**
 * Call a service route and return its JSON body.
 *
 * @param route - a route from core `Routes`, e.g. `Routes.list`.
 * @param options - method, query and JSON body.
 * @param serverSettings - the app's settings (`app.serviceManager.serverSettings`).
 * @throws EosRequestError for every failure: network, HTTP error status, or
 *   a body that is not JSON.
 */
export async function requestAPI<T>(
  route: string,
  options: IRequestOptions = {},
  serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = makeUrl(serverSettings.baseUrl, route, options.query);
  // 'no-cache' (always revalidate) rather than the settings' 'no-store',
  // which makes makeRequest append a bare `&<timestamp>` cache buster.
  const init: RequestInit = { method: options.method ?? 'GET', cache: 'no-cache' };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, serverSettings);
  } catch (error) {
    throw new EosRequestError('Upstream', `Cannot reach the Jupyter server: ${Private.describe(error)}`, 0);
  }
  const text = await response.text();
  if (!response.ok) {
    throw Private.toError(response, text);
  }
  if (text === '') {
    return undefined as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new EosRequestError(
      'Upstream',
      `The EOS service sent a response that is not JSON (${Private.contentType(response)})`,
      response.status,
      Private.excerpt(text)
    );
  }
}

namespace Private {
  /** Each client-error status with the first code core's `ERROR_STATUS` gives it: the generic one (403 Forbidden, not AccessDenied). */
  const CLIENT_CODES = new Map<number, ErrorCode>();
  for (const [code, status] of Object.entries(ERROR_STATUS) as [ErrorCode, number][]) {
    if (status < 500 && !CLIENT_CODES.has(status)) {
      CLIENT_CODES.set(status, code);
    }
  }

  /**
   * The error code for a status when the body does not name one (e.g. an HTML
   * page from the proxy). A bare 5xx means the service could not answer,
   * unless it says the disk is full.
   */
  export function codeForStatus(status: number): ErrorCode {
    if (status < 500) {
      return CLIENT_CODES.get(status) ?? 'InvalidRequest';
    }
    return status === ERROR_STATUS.NoSpace ? 'NoSpace' : 'Upstream';
  }

  /** Turn an error response into a typed error. */
  export function toError(response: Response, text: string): EosRequestError {
    const status = response.status;
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: e.g. the proxy's HTML page when the service did not start.
    }
    if (body !== null && typeof body === 'object') {
      const { code, message, details } = body as Record<string, unknown>;
      if (typeof message === 'string') {
        return new EosRequestError(
          isErrorCode(code) ? code : codeForStatus(status),
          message,
          status,
          typeof details === 'string' ? details : undefined
        );
      }
    }
    const reason = response.statusText ? `${status} ${response.statusText}` : String(status);
    return new EosRequestError(
      codeForStatus(status),
      `The EOS service answered ${reason}`,
      status,
      Private.excerpt(text) || undefined
    );
  }

  /** The start of a body, tags stripped, for an error's details. */
  export function excerpt(text: string): string {
    const plain = text
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return plain.length > 500 ? `${plain.slice(0, 500)}…` : plain;
  }

  export function contentType(response: Response): string {
    return response.headers.get('Content-Type') || 'no content type';
  }

  export function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
  }
}
