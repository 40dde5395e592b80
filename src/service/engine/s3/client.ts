/**
 * The S3 client: region, endpoint, timeouts and retries.
 */
import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { ServiceConfig } from '../config';
import { S3_CONNECT_TIMEOUT_MS, S3_MAX_ATTEMPTS, S3_MAX_SOCKETS, S3_SOCKET_TIMEOUT_MS } from './limits';

/**
 * A client for the configured endpoint and region, with credentials from the
 * SDK's default chain. A custom endpoint uses path-style addressing.
 * `unsigned`: requests go without a signature (public buckets, as `aws
 * --no-sign-request`): the signer leaves each request as it is, and the
 * identity it is handed is a placeholder, so no credentials are looked up.
 */
export function createS3Client(
  config: Pick<ServiceConfig, 'endpoint' | 'region'>,
  options: { socketTimeoutMs?: number; credentials?: S3ClientConfig['credentials']; unsigned?: boolean } = {}
): S3Client {
  const client = new S3Client({
    region: config.region,
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.unsigned && {
      credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
      signer: { sign: async request => request }
    }),
    endpoint: config.endpoint,
    forcePathStyle: config.endpoint !== undefined,
    maxAttempts: S3_MAX_ATTEMPTS,
    // Downloads are pinned to the object's ETag and their size is checked; the
    // SDK's default would also recompute a whole object's CRC64-NVME in
    // JavaScript, which took a third of the CPU of a folder download.
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: S3_CONNECT_TIMEOUT_MS,
      socketTimeout: options.socketTimeoutMs ?? S3_SOCKET_TIMEOUT_MS,
      httpAgent: { keepAlive: true, maxSockets: S3_MAX_SOCKETS },
      httpsAgent: { keepAlive: true, maxSockets: S3_MAX_SOCKETS }
    }
  });
  made.set(client, { endpoint: config.endpoint, region: config.region });
  return client;
}

const GiB = 1024 * 1024 * 1024;
/** The longest CompleteMultipartUpload may stay silent (S3 documents minutes for a big object). */
export const COMPLETE_MAX_SILENCE_MS = 15 * 60000;

/**
 * How long CompleteMultipartUpload of `bytes` may stay silent: AWS keeps the
 * connection alive with whitespace while it assembles the object, other
 * stores (moto) send nothing until done. 30 s more per GiB, in whole
 * minutes, at most 15 minutes.
 */
export function completeSilenceMs(bytes: number): number {
  const ms = S3_SOCKET_TIMEOUT_MS + Math.ceil(bytes / GiB) * 30000;
  return Math.min(COMPLETE_MAX_SILENCE_MS, Math.ceil(ms / 60000) * 60000);
}

/** The clients for completions, by silence allowed, of each client made here. */
const completers = new WeakMap<S3Client, Map<number, S3Client>>();

/**
 * The client to complete a multipart upload of `bytes` with: one like
 * `client` (same endpoint, region and credentials) whose connections may
 * stay silent `completeSilenceMs(bytes)`; `client` itself for up to 1 GiB,
 * or when it was not made here (tests inject their own).
 */
export function completionClient(client: S3Client, bytes: number): S3Client {
  const settings = made.get(client);
  const silence = completeSilenceMs(bytes);
  if (settings === undefined || silence <= S3_SOCKET_TIMEOUT_MS || bytes <= GiB) {
    return client;
  }
  let byTimeout = completers.get(client);
  if (byTimeout === undefined) {
    completers.set(client, (byTimeout = new Map()));
  }
  let completer = byTimeout.get(silence);
  if (completer === undefined) {
    completer = createS3Client(settings, { socketTimeoutMs: silence, credentials: client.config.credentials });
    byTimeout.set(silence, completer);
  }
  return completer;
}

/** The settings of the clients made here, so a client alike can be made (unsigned, or for completions). */
const made = new WeakMap<S3Client, Pick<ServiceConfig, 'endpoint' | 'region'>>();

/** The endpoint and region `client` was made with, when `createS3Client` made it. */
export function clientSettings(client: S3Client): Pick<ServiceConfig, 'endpoint' | 'region'> | undefined {
  return made.get(client);
}

/** A human label of where S3 requests go, for error messages. */
export function endpointLabel(config: Pick<ServiceConfig, 'endpoint' | 'region'>): string {
  return config.endpoint ?? `AWS S3 (${config.region})`;
}
