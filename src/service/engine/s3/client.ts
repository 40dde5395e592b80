/**
 * The S3 client: region, endpoint, timeouts and retries.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ServiceConfig } from '../config';

/** Attempts per S3 request (the first try and two retries). */
export const S3_MAX_ATTEMPTS = 3;
/** Milliseconds to establish a connection before giving up on an attempt. */
export const S3_CONNECT_TIMEOUT_MS = 3000;
/** Milliseconds a connection may stay silent before the attempt fails. */
export const S3_SOCKET_TIMEOUT_MS = 30000;
/** Concurrent connections to S3 (transfers run several parts in flight). */
export const S3_MAX_SOCKETS = 64;

/**
 * A client for the configured endpoint and region, with credentials from the
 * SDK's default chain. A custom endpoint uses path-style addressing.
 */
export function createS3Client(config: Pick<ServiceConfig, 'endpoint' | 'region'>): S3Client {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.endpoint !== undefined,
    maxAttempts: S3_MAX_ATTEMPTS,
    // Downloads are pinned to the object's ETag and their size is checked; the
    // SDK's default would also recompute a whole object's CRC64-NVME in
    // JavaScript, which took a third of the CPU of a folder download.
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: S3_CONNECT_TIMEOUT_MS,
      socketTimeout: S3_SOCKET_TIMEOUT_MS,
      httpAgent: { keepAlive: true, maxSockets: S3_MAX_SOCKETS },
      httpsAgent: { keepAlive: true, maxSockets: S3_MAX_SOCKETS }
    }
  });
  made.set(client, { endpoint: config.endpoint, region: config.region });
  return client;
}

/** The settings of the clients made here, so a worker thread can make one alike. */
const made = new WeakMap<S3Client, Pick<ServiceConfig, 'endpoint' | 'region'>>();

/** The endpoint and region `client` was made with, if `createS3Client` made it. */
export function clientSettings(client: S3Client): Pick<ServiceConfig, 'endpoint' | 'region'> | undefined {
  return made.get(client);
}

/** A human label of where S3 requests go, for error messages. */
export function endpointLabel(config: Pick<ServiceConfig, 'endpoint' | 'region'>): string {
  return config.endpoint ?? `AWS S3 (${config.region})`;
}
