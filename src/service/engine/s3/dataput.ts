/**
 * The uploads' data path (issue 18): a PutObject or an UploadPart of a body
 * held in memory, sent with `node:http` on the keep-alive agent of the GETs
 * and signed by the SDK's SigV4 signer (wire.ts). The payload is not
 * hashed for the signature (`x-amz-content-sha256: UNSIGNED-PAYLOAD`): its
 * CRC64NVME, computed before sending since the body is read whole, goes in
 * `x-amz-checksum-crc64nvme` and S3 refuses a body that does not match it
 * (`BadDigest`). A retry (the wire's retry strategy) sends the body again;
 * one S3 refuses on `If-None-Match` (412) is a success when the object there
 * is this body: the attempt whose answer was lost stored it.
 */
import { createHash } from 'node:crypto';
import { UPLOAD_CRC } from './checksums';
import { Answer, Route, Settle, Wire, exchange, requestOf, retrying } from './wire';

/** The payload hash of a request whose body is checked by its checksum header instead. */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** A body to store: a whole object, or a part of a multipart upload. */
export interface PutRequest {
  bucket: string;
  key: string;
  body: Buffer;
  /** Part `n` of the multipart upload `uploadId` (else the whole object). */
  part?: { uploadId: string; n: number };
  /** The body's `UPLOAD_CRC` in base64, which S3 checks (and stores). */
  checksum?: string;
  /** A whole object's `Content-Type`. */
  contentType?: string;
  /** A whole object's user metadata (`x-amz-meta-*`). */
  metadata?: Record<string, string>;
  /** Write only if no object is at the key (`If-None-Match: *`): else S3 answers 412. */
  mustNotExist?: boolean;
}

/**
 * Store `req.body`, retrying with the wire's retry strategy; answers the
 * ETag S3 gives it.
 *
 * @throws errors shaped like the SDK's (for `toEosError`); `signal`'s reason when it fires
 */
export async function putData(wire: Wire, req: PutRequest, signal: AbortSignal): Promise<string> {
  const route = await wire.route(req.bucket);
  const headers: Record<string, string> = {
    'content-length': String(req.body.length),
    'x-amz-content-sha256': UNSIGNED_PAYLOAD
  };
  if (req.checksum !== undefined) {
    // The algorithm named too: S3 takes the value alone, moto stores it only with the algorithm (checksums.ts).
    headers['x-amz-sdk-checksum-algorithm'] = UPLOAD_CRC;
    headers[`x-amz-checksum-${UPLOAD_CRC.toLowerCase()}`] = req.checksum;
  }
  if (req.contentType !== undefined) {
    headers['content-type'] = req.contentType;
  }
  for (const [name, value] of Object.entries(req.metadata ?? {})) {
    headers[`x-amz-meta-${name.toLowerCase()}`] = value;
  }
  if (req.mustNotExist) {
    headers['if-none-match'] = '*';
  }
  const query: Record<string, string> = req.part ? { partNumber: String(req.part.n), uploadId: req.part.uploadId } : {};
  try {
    return await retrying(wire, signal, async () => {
      // Signed again on each attempt: its date, and credentials that may have been refreshed.
      const signed = await route.sign(requestOf(route, 'PUT', req.key, headers, query));
      return exchange(
        signed,
        signal,
        (res: Answer, settle: Settle<string>) => {
          res.resume();
          res.on('end', () => settle.resolve(String(res.headers.etag ?? '')));
        },
        req.body
      );
    });
  } catch (err) {
    // A retry refused because the key is taken may have been taken by the attempt whose answer was lost.
    const etag = req.mustNotExist && refusedOnRetry(err) ? await storedAlready(route, req, signal) : null;
    if (etag === null) {
      throw err;
    }
    return etag;
  }
}

/** Whether a PUT failed on its `If-None-Match` (412) after more than one attempt. */
function refusedOnRetry(err: unknown): boolean {
  const meta = (err as { $metadata?: { httpStatusCode?: number; attempts?: number } } | null)?.$metadata;
  return meta?.httpStatusCode === 412 && (meta.attempts ?? 1) > 1;
}

/**
 * The ETag of the object at `req`'s key when it holds `req.body`: its size,
 * and its ETag the body's MD5 or (an ETag that is no MD5: KMS) its stored
 * CRC64NVME the body's; else null (another client's object, or none).
 */
async function storedAlready(route: Route, req: PutRequest, signal: AbortSignal): Promise<string | null> {
  let head: Answer['headers'];
  try {
    const signed = await route.sign(
      requestOf(route, 'HEAD', req.key, { 'x-amz-content-sha256': UNSIGNED_PAYLOAD, 'x-amz-checksum-mode': 'ENABLED' })
    );
    head = await exchange(signed, signal, (res: Answer, settle: Settle<Answer['headers']>) => {
      res.resume();
      res.on('end', () => settle.resolve(res.headers));
    });
  } catch {
    return null; // gone, or not to be asked: the refusal stands
  }
  const etag = String(head.etag ?? '');
  if (Number(head['content-length']) !== req.body.length) {
    return null;
  }
  const md5 = createHash('md5').update(req.body).digest('hex');
  const crc = head[`x-amz-checksum-${UPLOAD_CRC.toLowerCase()}`];
  const same = etag.replace(/"/g, '') === md5 || (req.checksum !== undefined && crc === req.checksum);
  return same ? etag : null;
}
