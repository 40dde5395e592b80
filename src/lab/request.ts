/**
 * The one way the frontend talks to the EOS service.
 *
 * Every call goes through `ServerConnection.makeRequest`, which adds the
 * Jupyter token and the XSRF header. S3 keys travel only in the query string
 * or the JSON body: the proxy in front of the service re-quotes URL paths.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  ERROR_STATUS,
  EosError,
  ErrorCode,
  RouteInput,
  RouteMethod,
  RouteName,
  RouteResponse,
  Routes,
  isErrorCode
} from '../core';

/** The path under the server's base URL where the service is proxied. */
export const SERVICE_PREFIX = 'eos';

/** Query values; `undefined` and `null` are left out of the query string. */
export type QueryValue = string | number | boolean | null | undefined;

/** How to call one route: its query (GET routes) or JSON body (POST routes), and an abort signal. */
export type IRequestOptions<R extends RouteName> = RouteInput<R> & {
  /** Aborting it cancels the request (and the service's S3 call); the promise rejects with `Aborted`. */
  signal?: AbortSignal;
};

/**
 * How the frontend calls the service: `requestAPI` with the server settings
 * bound (a model's default), or a scripted service in tests.
 */
export type EosRequest = <R extends RouteName>(route: R, options: IRequestOptions<R>) => Promise<RouteResponse<R>>;

/** The method of each route, from the core route table. */
const METHODS: { [R in RouteName]: RouteMethod<R> } = {
  [Routes.whoami]: 'GET',
  [Routes.list]: 'GET',
  [Routes.stat]: 'GET',
  [Routes.presign]: 'POST',
  [Routes.disk]: 'GET',
  [Routes.mkdir]: 'POST',
  [Routes.count]: 'POST',
  [Routes.delete]: 'POST',
  [Routes.copy]: 'POST',
  [Routes.job]: 'GET',
  [Routes.cancelJob]: 'POST',
  [Routes.jobs]: 'GET',
  [Routes.answerJob]: 'POST',
  [Routes.retryJob]: 'POST',
  [Routes.clearJobs]: 'POST',
  [Routes.transfer]: 'POST',
  [Routes.syncPlan]: 'POST',
  [Routes.sync]: 'POST',
  [Routes.uploads]: 'POST',
  [Routes.uploadPart]: 'PUT',
  [Routes.completeUpload]: 'POST',
  [Routes.abortUpload]: 'POST',
  // Opening files and peeking (issue 8)
  [Routes.content]: 'GET',
  [Routes.saveContent]: 'PUT',
  [Routes.head]: 'GET',
  [Routes.checkpoints]: 'GET',
  [Routes.changeCheckpoint]: 'POST',
  // Disk gauge (issue 7)
  [Routes.diskLargest]: 'GET',
  [Routes.diskOffload]: 'POST',
  [Routes.diskDelete]: 'POST',
  [Routes.importUrls]: 'POST',
  [Routes.locations]: 'POST'
};

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

  /** Whether the request was aborted by its signal (not a failure to show). */
  get aborted(): boolean {
    return this._aborted;
  }

  /** The error an aborted request rejects with. */
  static abort(): EosRequestError {
    const error = new EosRequestError('InvalidRequest', 'The request was cancelled', 0);
    error._aborted = true;
    return error;
  }

  private _aborted = false;
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

/** Whether `reason` is the rejection of an aborted request. */
export function isAbort(reason: unknown): boolean {
  return reason instanceof EosRequestError && reason.aborted;
}

/**
 * Call a service route and return its JSON body, typed by the core route table.
 *
 * @param route - a route from core `Routes`, e.g. `Routes.list`.
 * @param options - the route's query or JSON body, and an abort signal.
 * @param serverSettings - the app's settings (`app.serviceManager.serverSettings`).
 * @throws EosRequestError for every failure: network, HTTP error status,
 *   abort (`aborted` true), or a body that is not JSON.
 */
export async function requestAPI<R extends RouteName>(
  route: R,
  options: IRequestOptions<R>,
  serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<RouteResponse<R>> {
  const url = makeUrl(serverSettings.baseUrl, route, (options.query ?? {}) as Record<string, QueryValue>);
  // 'no-cache' (always revalidate) rather than the settings' 'no-store',
  // which makes makeRequest append a bare `&<timestamp>` cache buster.
  const init: RequestInit = { method: METHODS[route], cache: 'no-cache', signal: options.signal };
  if (options.body !== undefined && init.method === 'PUT') {
    // A raw route: the bytes as they are (a Blob slice is read by the browser, not by us).
    init.body = options.body as BodyInit;
    init.headers = { 'Content-Type': 'application/octet-stream' };
  } else if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  if (options.signal?.aborted) {
    throw EosRequestError.abort();
  }
  let response: Response;
  let text: string;
  try {
    response = await ServerConnection.makeRequest(url, init, serverSettings);
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) {
      throw EosRequestError.abort();
    }
    throw new EosRequestError('Upstream', `Cannot reach the Jupyter server: ${Private.describe(error)}`, 0);
  }
  if (options.signal?.aborted) {
    throw EosRequestError.abort(); // aborted while the answer arrived: nobody wants it
  }
  if (!response.ok) {
    throw Private.toError(response, text);
  }
  try {
    return JSON.parse(text) as RouteResponse<R>;
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
