/**
 * What the data path's requests (GETs of downloads, dataget.ts; PUTs of
 * uploads, dataput.ts) share: they are sent with `node:http`/`node:https` on
 * a keep-alive agent and signed by the SDK's own SigV4 signer, without the
 * SDK's per-request middleware stack. How requests to a bucket go (a
 * `Wire`) is decided once per bucket: on the service's thread by its S3
 * client (`clientWire`: its endpoint rules, its signer and credentials
 * provider, refreshed as they near their expiry, its retry strategy and
 * backoff, `S3_MAX_ATTEMPTS`); on a transfer thread by what the service's
 * thread lends it (lentwire.ts), without loading the SDK's client. The
 * timeouts are the client's (`S3_CONNECT_TIMEOUT_MS`, `S3_SOCKET_TIMEOUT_MS`).
 * A failure answered by S3 is shaped like the SDK's (its XML `Code`, the HTTP
 * status) so that `toEosError` maps it to the same typed errors.
 *
 * Nothing here loads `@aws-sdk/client-s3` (its types only): the transfer
 * threads' bundle imports this file.
 */
// eslint-disable-next-line no-restricted-imports -- a client of S3's data path; the engine still serves no HTTP
import * as http from 'node:http';
import * as https from 'node:https';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RetryStrategyV2 } from '@smithy/types';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { EosError } from '../../../core';
import { S3_CONNECT_TIMEOUT_MS, S3_MAX_SOCKETS, S3_SOCKET_TIMEOUT_MS } from './limits';

/** The most bytes of an error answer read for its code and message. */
const MAX_ERROR_BODY = 64 * 1024;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: S3_MAX_SOCKETS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: S3_MAX_SOCKETS })
};

/** How requests to one bucket go: base URL and signer, decided once. */
export interface Route {
  base: URL;
  sign: (request: SignableRequest) => Promise<SignableRequest>;
}

/** The data path to S3 through one client (or what a transfer thread was lent of it). */
export interface Wire {
  /** How requests to `bucket` go. */
  route(bucket: string): Promise<Route>;
  /** The retry strategy (its attempts, its backoff, its retry quota). */
  retryStrategy(): Promise<RetryStrategyV2>;
}

/** Where a bucket's requests go and how they are signed, by the SDK's endpoint rules. */
export interface Endpoint {
  /** The base URL of the bucket's objects (path style: with the bucket). */
  url: string;
  /** The auth scheme: `sigv4` (S3 Express and multi-region access points name others). */
  scheme: string;
  signingRegion: string;
  signingName: string;
}

export interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** An S3 answer or a broken connection, shaped as the SDK's errors are (what `toEosError` reads). */
export interface WireError extends Error {
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const wires = new WeakMap<S3Client, Wire>();

/**
 * Run `attempt` (numbered from 1) until it succeeds, retrying the failures
 * the wire's retry strategy deems transient or throttling, after its
 * backoff.
 *
 * @throws the last attempt's error (with its number of attempts); `signal`'s reason when it fires
 */
export async function retrying<T>(wire: Wire, signal: AbortSignal, attempt: (n: number) => Promise<T>): Promise<T> {
  const strategy = await wire.retryStrategy();
  let token = await strategy.acquireInitialRetryToken('');
  for (let n = 1; ; n++) {
    try {
      const out = await attempt(n);
      strategy.recordSuccess(token);
      return out;
    } catch (err) {
      signal.throwIfAborted();
      const errorType = retryType(err as WireError);
      if (errorType === undefined) {
        throw withAttempts(err, n);
      }
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { errorType });
      } catch {
        throw withAttempts(err, n);
      }
      await pause(token.getRetryDelay(), signal);
    }
  }
}

/** An answer's head and body, as `exchange` hands it on. */
export type Answer = http.IncomingMessage;

/** How a request's answer ends it: once, by whichever comes first. */
export interface Settle<T> {
  resolve(value: T): void;
  fail(err: unknown): void;
}

/**
 * Send one signed request (with `body`, else none) and hand a 2xx answer to
 * `onResponse`, which settles it; an error answer fails it as S3's error
 * (`readError`), so do a timeout, a broken connection and `signal`.
 */
export function exchange<T>(
  signed: SignableRequest,
  signal: AbortSignal,
  onResponse: (res: http.IncomingMessage, settle: Settle<T>) => void,
  body?: Buffer
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const protocol = signed.protocol as keyof typeof agents;
    // A GET has no query: no URLSearchParams made for each file.
    const query = Object.keys(signed.query).length > 0 ? new URLSearchParams(signed.query).toString() : '';
    const request = (protocol === 'https:' ? https : http).request({
      agent: agents[protocol],
      method: signed.method,
      hostname: signed.hostname,
      port: signed.port,
      path: query ? `${signed.path}?${query}` : signed.path,
      headers: signed.headers
    });
    let connecting: NodeJS.Timeout | undefined;
    let settled = false;
    const end = () => {
      settled = true;
      clearTimeout(connecting);
      signal.removeEventListener('abort', onAbort);
    };
    const settle: Settle<T> = {
      resolve: value => {
        if (!settled) {
          end();
          resolve(value);
        }
      },
      fail: err => {
        if (!settled) {
          end();
          request.destroy();
          reject(err);
        }
      }
    };
    const onAbort = () => settle.fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('socket', socket => {
      if (socket.connecting) {
        connecting = setTimeout(() => settle.fail(timeout('connect')), S3_CONNECT_TIMEOUT_MS);
        socket.once('connect', () => clearTimeout(connecting));
      }
    });
    request.setTimeout(S3_SOCKET_TIMEOUT_MS, () => settle.fail(timeout('socket')));
    request.on('error', settle.fail);
    request.on('response', res => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        readError(res).then(settle.fail, settle.fail);
        return;
      }
      res.on('error', settle.fail);
      res.on('close', () => {
        if (!res.complete) {
          settle.fail(networkError('ECONNRESET', 'The connection closed before the body ended'));
        }
      });
      onResponse(res, settle);
    });
    request.end(body);
  });
}

/** The request for `key` of a bucket's route, with `headers` (`host` added), unsigned. */
export function requestOf(
  route: Route,
  method: string,
  key: string,
  headers: Record<string, string>,
  query: Record<string, string> = {}
): SignableRequest {
  const { base } = route;
  return {
    method,
    protocol: base.protocol,
    hostname: base.hostname.replace(/^\[|\]$/g, ''),
    port: base.port ? Number(base.port) : undefined,
    path: `${base.pathname.replace(/\/$/, '')}/${encodeKey(key)}`,
    query,
    headers: { host: base.host, ...headers }
  };
}

/**
 * The data path through `client`: each bucket's route from its endpoint
 * rules and signer, asked once per bucket; its retry strategy.
 */
export function clientWire(client: S3Client): Wire {
  let wire = wires.get(client);
  if (wire === undefined) {
    const routes = new Map<string, Promise<Route>>();
    wire = {
      route: bucket => {
        let route = routes.get(bucket);
        if (route === undefined) {
          route = resolveRoute(client, bucket);
          route.catch(() => routes.delete(bucket));
          routes.set(bucket, route);
        }
        return route;
      },
      retryStrategy: async () => {
        const strategy = await client.config.retryStrategy();
        if (!('acquireInitialRetryToken' in strategy)) {
          throw new EosError('Internal', 'The S3 client has a retry strategy of the old interface');
        }
        return strategy;
      }
    };
    wires.set(client, wire);
  }
  return wire;
}

/**
 * Where `client` sends requests to `bucket` and how it signs them: its
 * endpoint rules (custom endpoint, region, FIPS, dual stack, path style).
 *
 * @throws EosError `Internal` when the bucket is not signed with a SigV4 scheme
 */
export async function endpointOf(client: S3Client, bucket: string): Promise<Endpoint> {
  const config = client.config;
  const custom = config.isCustomEndpoint ? await config.endpoint?.() : undefined;
  const endpoint = custom
    ? `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}${custom.path ?? ''}`
    : undefined;
  const region = await config.region();
  const resolved = config.endpointProvider({
    Bucket: bucket,
    Region: region,
    UseFIPS: await config.useFipsEndpoint(),
    UseDualStack: await config.useDualstackEndpoint(),
    ForcePathStyle: config.forcePathStyle,
    Accelerate: config.useAccelerateEndpoint,
    ...(endpoint !== undefined && { Endpoint: endpoint })
  });
  const scheme = (resolved.properties?.authSchemes as AuthScheme[] | undefined)?.[0];
  if (scheme === undefined || !scheme.name.startsWith('sigv4')) {
    throw new EosError('Internal', `No SigV4 signing for the bucket ${bucket}`);
  }
  return {
    url: resolved.url.href,
    scheme: scheme.name,
    signingRegion: scheme.signingRegion ?? region,
    signingName: scheme.signingName ?? 's3'
  };
}

/** The route of `client` to `bucket`: its endpoint, and its own signer with its credentials provider. */
async function resolveRoute(client: S3Client, bucket: string): Promise<Route> {
  const config = client.config;
  const endpoint = await endpointOf(client, bucket);
  const signer = await config.signer({
    name: endpoint.scheme,
    signingName: endpoint.signingName,
    signingRegion: endpoint.signingRegion
  } as Parameters<typeof config.signer>[0]);
  const sign = async (request: SignableRequest) =>
    (await signer.sign(request as Parameters<typeof signer.sign>[0], {
      signingRegion: endpoint.signingRegion,
      signingService: endpoint.signingName,
      signingDate: new Date(Date.now() + (config.systemClockOffset ?? 0))
    })) as unknown as SignableRequest;
  return { base: new URL(endpoint.url), sign };
}

interface AuthScheme {
  name: string;
  signingName?: string;
  signingRegion?: string;
}

/** An object key in a URL path, as the SDK writes it (each segment, `!'()*` too). */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map(s => encodeURIComponent(s).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** An error answer as the SDK would throw it: S3's XML `Code` and `Message`, else a name for the status. */
async function readError(res: http.IncomingMessage): Promise<WireError> {
  const status = res.statusCode ?? 0;
  let body = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (body.length < MAX_ERROR_BODY) {
      body += chunk.toString('utf8');
    }
  }
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  const code = tag('Code') ?? fallbackCode(status);
  const err: WireError = new Error(tag('Message') ?? `HTTP ${status}`);
  err.name = code;
  err.Code = code;
  err.$metadata = { httpStatusCode: status };
  return err;
}

/** The SDK's names for an error answer without an XML body. */
function fallbackCode(status: number): string {
  switch (status) {
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 412:
      return 'PreconditionFailed';
    default:
      return 'UnknownError';
  }
}

/** The retry strategy's kind of a failure (the SDK's own classification), or undefined when it is not worth another attempt. */
function retryType(err: WireError): 'TRANSIENT' | 'THROTTLING' | undefined {
  if (err instanceof EosError) {
    return undefined; // the sink's (the local disk) or a bug's
  }
  const e = err as unknown as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(e)) {
    return 'THROTTLING';
  }
  return isTransientError(e) ? 'TRANSIENT' : undefined;
}

function withAttempts(err: unknown, attempts: number): unknown {
  const e = err as WireError;
  if (e?.$metadata) {
    e.$metadata.attempts = attempts;
  }
  return err;
}

function timeout(what: string): WireError {
  const err: WireError = new Error(`The ${what} timed out`);
  err.name = 'TimeoutError';
  return err;
}

export function networkError(code: string, message: string): WireError {
  const err: WireError = new Error(`${message} (${code})`);
  err.code = code;
  return err;
}

/** Wait `ms` (the backoff), or until `signal` fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      if (signal.aborted) {
        reject(signal.reason);
      } else {
        resolve();
      }
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
