/**
 * Attempts, timeouts and connections of S3 requests: the SDK client's
 * (client.ts) and the data path's (wire.ts), which the transfer threads run
 * without loading the SDK.
 */

/** Attempts per S3 request (the first try and two retries). */
export const S3_MAX_ATTEMPTS = 3;
/** Milliseconds to establish a connection before giving up on an attempt. */
export const S3_CONNECT_TIMEOUT_MS = 3000;
/** Milliseconds a connection may stay silent before the attempt fails. */
export const S3_SOCKET_TIMEOUT_MS = 30000;
/**
 * Connections to S3 are not capped by the client's agent: each caller bounds
 * its own (a transfer its files and parts in flight). A capped agent queues
 * the calls beyond the cap while the SDK's connection timer runs, so under
 * load (200 lists at once, or lists beside an upload holding every socket)
 * they failed as "S3 did not answer in time" without being sent (bench/load.mjs,
 * busy.spec.ts).
 */
export const S3_MAX_SOCKETS = Infinity;
