/**
 * The downloads' data path (issue 18): a GET of an object's bytes sent with
 * `node:http`/`node:https` on a keep-alive agent and signed by the SDK's
 * SigV4 signer, without the SDK's per-request middleware stack. The route
 * (endpoint, signer and credentials) and the retry strategy are the wire's
 * (wire.ts: the client's on the service's thread, lent to a transfer
 * thread), and the timeouts the client's (`S3_CONNECT_TIMEOUT_MS`,
 * `S3_SOCKET_TIMEOUT_MS`). A failure answered by S3 is shaped like the SDK's
 * (its XML `Code`, the HTTP status) so that `toEosError` maps it to the same
 * typed errors as before.
 *
 * A connection that drops mid-body is retried from the byte after the last
 * one received (still pinned with `If-Match`), so the bytes already written
 * stay.
 */
import { CHECKSUM_HEADERS, ChecksumHead } from './checksums';
import { Answer, Route, SignableRequest, Settle, Wire, exchange, requestOf, retrying } from './wire';

/** The SHA-256 of an empty payload: a GET's, so no body is ever hashed. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

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
  /** Told the first answer's head, before its first byte. */
  head?(head: DataHead): void;
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

/**
 * GET bytes `req.start` to `req.end - 1` of an object into `sink`, retrying
 * with the wire's retry strategy; answers the object's metadata.
 *
 * @throws errors shaped like the SDK's (for `toEosError`); the sink's own
 *   errors unchanged; `signal`'s reason when it fires
 */
export async function getData(wire: Wire, req: DataRequest, sink: DataSink, signal: AbortSignal): Promise<DataHead> {
  const route = await wire.route(req.bucket);
  // The first answer's head: a retry from a later byte is ranged, so it carries no stored checksum.
  let head: DataHead | undefined;
  return retrying(wire, signal, async attempt => {
    const got = await once(route, req, sink.position, attempt === 1, sink, signal, h => {
      if (head === undefined) {
        head = h;
        sink.head?.(h);
      }
    });
    return head ?? got;
  });
}

/** One attempt from byte `from`: the response's head once its body has all arrived in `sink`. */
async function once(
  route: Route,
  req: DataRequest,
  from: number,
  first: boolean,
  sink: DataSink,
  signal: AbortSignal,
  onHead: (head: DataHead) => void
): Promise<DataHead> {
  const signed = await prepare(route, req, from, first);
  return exchange(signed, signal, (res: Answer, settle: Settle<DataHead>) => {
    const head = headOf(res);
    onHead(head);
    let pending: Promise<void> | undefined;
    res.on('data', (chunk: Buffer) => {
      try {
        const added = sink.add(chunk);
        if (added) {
          res.pause();
          pending = added.then(() => void res.resume(), settle.fail);
        }
      } catch (err) {
        settle.fail(err);
      }
    });
    res.on('end', () => void Promise.resolve(pending).then(() => settle.resolve(head)));
  });
}

/** The request of one attempt, signed unless the location is public. */
async function prepare(route: Route, req: DataRequest, from: number, first: boolean): Promise<SignableRequest> {
  const headers: Record<string, string> = { 'x-amz-content-sha256': EMPTY_SHA256 };
  if (!(req.whole && first && from === req.start)) {
    headers.range = `bytes=${from}-${req.end - 1}`;
  }
  if (req.etag !== undefined) {
    headers['if-match'] = req.etag;
  }
  if (req.checksum) {
    headers['x-amz-checksum-mode'] = 'ENABLED';
  }
  const request = requestOf(route, 'GET', req.key, headers);
  return req.unsigned ? request : route.sign(request);
}

/** A 2xx answer's metadata, modification time and stored checksum (when it carries one). */
function headOf(res: Answer): DataHead {
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
