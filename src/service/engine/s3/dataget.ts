/**
 * The downloads' data path (issue 18): a GET of an object's bytes sent with
 * `node:http`/`node:https` on a keep-alive agent and signed by the client's
 * own SigV4 signer, without the SDK's per-request middleware stack. The SDK
 * still decides everything once per bucket: the endpoint (its endpoint
 * rules), the signer and its credentials provider (refreshed as they near
 * their expiry), the retry strategy and its backoff (`S3_MAX_ATTEMPTS`), and
 * the timeouts are the client's (`S3_CONNECT_TIMEOUT_MS`,
 * `S3_SOCKET_TIMEOUT_MS`). A failure answered by S3 is shaped like the SDK's
 * (its XML `Code`, the HTTP status) so that `toEosError` maps it to the same
 * typed errors as before.
 *
 * A connection that drops mid-body is retried from the byte after the last
 * one received (still pinned with `If-Match`), so the bytes already written
 * stay.
 */
// eslint-disable-next-line no-restricted-imports -- a client of S3's data path; the engine still serves no HTTP
import * as http from 'node:http';
import * as https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { EosError } from '../../../core';
import { S3_CONNECT_TIMEOUT_MS, S3_MAX_SOCKETS, S3_SOCKET_TIMEOUT_MS } from './client';
import { CHECKSUM_HEADERS, ChecksumHead } from './checksums';

/** The SHA-256 of an empty payload: a GET's, so no body is ever hashed. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The most bytes of an error answer read for its code and message. */
const MAX_ERROR_BODY = 64 * 1024;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: S3_MAX_SOCKETS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: S3_MAX_SOCKETS })
};

/** Bytes of an object to fetch. */
export interface DataRequest {
  bucket: string;
  key: string;
  /** `If-Match`: a changed object answers 412 (`PreconditionFailed`). */
  etag?: string;
  /** The first byte. */
  start: number;
  /** The byte after the last. */
  end: number;
  /** Ask for the whole object (no `Range` header) on the first attempt. */
  whole: boolean;
  /** Send without a signature (a public location). */
  unsigned?: boolean;
  /**
   * Ask for the object's stored checksum (`x-amz-checksum-mode: ENABLED`,
   * signed): a whole-object GET answers it (a ranged one does not).
   */
  checksum?: boolean;
}

/** Where the body goes; `position` is the next byte it expects (a retry asks from there). */
export interface DataSink {
  readonly position: number;
  add(chunk: Buffer): void | Promise<void>;
}

/** What a GET answers besides its bytes. */
export interface DataHead {
  /** The `x-amz-meta-*` headers, by their name without the prefix. */
  metadata: Record<string, string>;
  lastModified?: Date;
  /** The stored checksum headers, as a HEAD's fields (`storedChecksum` reads them), when asked for. */
  checksums?: ChecksumHead;
}

/** How requests to one bucket go: base URL and signer, from the SDK once. */
interface Route {
  base: URL;
  sign: (request: SignableRequest) => Promise<SignableRequest>;
}

interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** An S3 answer or a broken connection, shaped as the SDK's errors are (what `toEosError` reads). */
interface WireError extends Error {
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const routes = new WeakMap<S3Client, Map<string, Promise<Route>>>();

/**
 * GET bytes `req.start` to `req.end - 1` of an object into `sink`, retrying
 * with the client's retry strategy; answers the object's metadata.
 *
 * @throws errors shaped like the SDK's (for `toEosError`); the sink's own
 *   errors unchanged; `signal`'s reason when it fires
 */
export async function getData(
  client: S3Client,
  req: DataRequest,
  sink: DataSink,
  signal: AbortSignal
): Promise<DataHead> {
  const route = await routeOf(client, req.bucket);
  const strategy = await client.config.retryStrategy();
  if (!('acquireInitialRetryToken' in strategy)) {
    throw new EosError('Internal', 'The S3 client has a retry strategy of the old interface');
  }
  let token = await strategy.acquireInitialRetryToken('');
  // The first answer's head: a retry from a later byte is ranged, so it carries no stored checksum.
  let head: DataHead | undefined;
  for (let attempt = 1; ; attempt++) {
    const from = sink.position;
    try {
      const got = await once(route, req, from, attempt === 1, sink, signal, h => void (head ??= h));
      strategy.recordSuccess(token);
      return head ?? got;
    } catch (err) {
      signal.throwIfAborted();
      const errorType = retryType(err as WireError);
      if (errorType === undefined) {
        throw withAttempts(err, attempt);
      }
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { errorType });
      } catch {
        throw withAttempts(err, attempt);
      }
      await pause(token.getRetryDelay(), signal);
    }
  }
}

/** One attempt from byte `from`: the response's head once its body has all arrived in `sink`. */
function once(
  route: Route,
  req: DataRequest,
  from: number,
  first: boolean,
  sink: DataSink,
  signal: AbortSignal,
  onHead: (head: DataHead) => void
): Promise<DataHead> {
  return prepare(route, req, from, first).then(
    signed =>
      new Promise<DataHead>((resolve, reject) => {
        const protocol = signed.protocol as keyof typeof agents;
        const request = (protocol === 'https:' ? https : http).request({
          agent: agents[protocol],
          method: 'GET',
          hostname: signed.hostname,
          port: signed.port,
          path: signed.path,
          headers: signed.headers
        });
        let connecting: NodeJS.Timeout | undefined;
        let failed = false;
        const fail = (err: unknown) => {
          if (!failed) {
            failed = true;
            clearTimeout(connecting);
            signal.removeEventListener('abort', onAbort);
            request.destroy();
            reject(err);
          }
        };
        const onAbort = () => fail(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        request.on('socket', socket => {
          if (socket.connecting) {
            connecting = setTimeout(() => fail(timeout('connect')), S3_CONNECT_TIMEOUT_MS);
            socket.once('connect', () => clearTimeout(connecting));
          }
        });
        request.setTimeout(S3_SOCKET_TIMEOUT_MS, () => fail(timeout('socket')));
        request.on('error', fail);
        request.on('response', res => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            readError(res).then(fail, fail);
            return;
          }
          const head = headOf(res);
          onHead(head);
          let pending: Promise<void> | undefined;
          res.on('data', (chunk: Buffer) => {
            try {
              const added = sink.add(chunk);
              if (added) {
                res.pause();
                pending = added.then(() => void res.resume(), fail);
              }
            } catch (err) {
              fail(err);
            }
          });
          res.on('end', () => {
            void Promise.resolve(pending).then(() => {
              if (!failed) {
                failed = true;
                signal.removeEventListener('abort', onAbort);
                resolve(head);
              }
            });
          });
          res.on('error', fail);
          res.on('close', () => {
            if (!res.complete) {
              fail(networkError('ECONNRESET', 'The connection closed before the body ended'));
            }
          });
        });
        request.end();
      })
  );
}

/** The request of one attempt, signed unless the location is public. */
async function prepare(route: Route, req: DataRequest, from: number, first: boolean): Promise<SignableRequest> {
  const { base } = route;
  const headers: Record<string, string> = { host: base.host, 'x-amz-content-sha256': EMPTY_SHA256 };
  if (!(req.whole && first && from === req.start)) {
    headers.range = `bytes=${from}-${req.end - 1}`;
  }
  if (req.etag !== undefined) {
    headers['if-match'] = req.etag;
  }
  if (req.checksum) {
    headers['x-amz-checksum-mode'] = 'ENABLED';
  }
  const request: SignableRequest = {
    method: 'GET',
    protocol: base.protocol,
    hostname: base.hostname.replace(/^\[|\]$/g, ''),
    port: base.port ? Number(base.port) : undefined,
    path: `${base.pathname.replace(/\/$/, '')}/${encodeKey(req.key)}`,
    query: {},
    headers
  };
  return req.unsigned ? request : route.sign(request);
}

/** How requests to `bucket` go: the SDK's endpoint rules and signer, asked once per client and bucket. */
function routeOf(client: S3Client, bucket: string): Promise<Route> {
  let byBucket = routes.get(client);
  if (byBucket === undefined) {
    routes.set(client, (byBucket = new Map()));
  }
  let route = byBucket.get(bucket);
  if (route === undefined) {
    route = resolveRoute(client, bucket);
    route.catch(() => byBucket.delete(bucket));
    byBucket.set(bucket, route);
  }
  return route;
}

async function resolveRoute(client: S3Client, bucket: string): Promise<Route> {
  const config = client.config;
  const custom = config.isCustomEndpoint ? await config.endpoint?.() : undefined;
  const endpoint = custom
    ? `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}${custom.path ?? ''}`
    : undefined;
  const resolved = config.endpointProvider({
    Bucket: bucket,
    Region: await config.region(),
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
  const signer = await config.signer(scheme as Parameters<typeof config.signer>[0]);
  const sign = async (request: SignableRequest) =>
    (await signer.sign(request as Parameters<typeof signer.sign>[0], {
      signingRegion: scheme.signingRegion,
      signingService: scheme.signingName,
      signingDate: new Date(Date.now() + (config.systemClockOffset ?? 0))
    })) as unknown as SignableRequest;
  return { base: new URL(resolved.url.href), sign };
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

/** A 2xx answer's metadata, modification time and stored checksum (when it carries one). */
function headOf(res: http.IncomingMessage): DataHead {
  const metadata: Record<string, string> = {};
  const checksums: ChecksumHead = {};
  let checksummed = false;
  for (const [name, value] of Object.entries(res.headers)) {
    if (typeof value !== 'string') {
      continue;
    }
    if (name.startsWith('x-amz-meta-')) {
      metadata[name.slice('x-amz-meta-'.length)] = value;
    } else if (name in CHECKSUM_HEADERS) {
      const field = CHECKSUM_HEADERS[name as keyof typeof CHECKSUM_HEADERS];
      (checksums as Record<string, string>)[field] = value;
      checksummed = true;
    }
  }
  if (checksummed && res.headers.etag) {
    // A multipart object's (`…-N`) checksum is of its parts unless S3 says FULL_OBJECT (`storedChecksum`).
    checksums.ETag = res.headers.etag;
  }
  const modified = res.headers['last-modified'];
  return {
    metadata,
    lastModified: modified ? new Date(modified) : undefined,
    ...(checksummed && { checksums })
  };
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

function networkError(code: string, message: string): WireError {
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
