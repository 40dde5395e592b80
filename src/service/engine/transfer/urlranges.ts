/**
 * Large imports fetched in parallel byte ranges. When the first answer for a
 * URL offers byte ranges (`Accept-Ranges: bytes`), says its length (at least
 * `importRangesFrom`) and gives a validator (a strong ETag, else
 * Last-Modified), its body is not read: the object is fetched again from the
 * final URL (after redirects) as part-sized ranges, `partsInFlight` at once,
 * each range uploaded as the part of its number. Every range is pinned to
 * the validator (`If-Range`, and `If-Match` with an ETag), so a file changed
 * on the server fails the import rather than mixing versions; so do a range
 * answered whole (200), a range other than the one asked or shorter than it,
 * an error status and a cut connection. Any failure, a cancel too, aborts
 * the multipart upload: no upload stays open and no object is written.
 */
import { EosError } from '../../../core';
import { EosStore } from '../s3/store';
import { JobContext, OpenUpload } from '../jobs/jobs';
import { forEachConcurrent } from '../jobs/pool';
import { refusedAsTaken } from '../s3/errors';
import {
  MAX_PARTS,
  UploadedPart,
  abortUploadRetrying,
  completeUpload,
  createUpload,
  partRanges,
  partSize,
  uploadPart
} from '../s3/multipart';
import { Fetched, fetchUrl } from './urlget';
import { TransferOptions } from './run';

/** Where an imported body is written. */
export type Target = { bucket: string; key: string; uri: string; mustNotExist: boolean };

/**
 * Write the object of `target` from its uploaded parts (`size` bytes); under
 * `mustNotExist`, a key taken (412) or being written (409) is a Conflict.
 */
export async function completeTarget(
  store: EosStore,
  upload: OpenUpload,
  parts: readonly UploadedPart[],
  target: Target,
  size: number,
  signal: AbortSignal
): Promise<void> {
  try {
    await completeUpload(store, upload, parts, { mustNotExist: target.mustNotExist, signal, uri: target.uri, size });
  } catch (err) {
    throw target.mustNotExist ? refusedAsTaken(err, target.uri) : err;
  }
}

/** What every range of one import is pinned to. */
interface Pin {
  /** The strong ETag, if the server gave one. */
  etag?: string;
  /** The Last-Modified date, if no strong ETag. */
  modified?: string;
}

type Headers = Fetched['response']['headers'];

/** The validator of an answer: its strong ETag, else its Last-Modified; null when it has neither. */
function pinOf(headers: Headers): Pin | null {
  const etag = headers.etag;
  if (etag && !etag.startsWith('W/')) {
    return { etag };
  }
  return headers['last-modified'] ? { modified: headers['last-modified'] } : null;
}

/** Whether an answer `fetched` is fetched again in ranges rather than streamed (see the module's comment). */
export function rangeable(fetched: Fetched, options: Pick<TransferOptions, 'importRangesFrom'>): boolean {
  const units = (fetched.response.headers['accept-ranges'] ?? '').toLowerCase().split(',');
  return (
    units.some(u => u.trim() === 'bytes') &&
    fetched.length !== null &&
    fetched.length >= options.importRangesFrom &&
    pinOf(fetched.response.headers) !== null
  );
}

/** Whether a range's answer says another version of the file than the one pinned. */
function changed(pin: Pin, headers: Headers): boolean {
  if (pin.etag !== undefined) {
    return headers.etag !== undefined && headers.etag !== pin.etag;
  }
  return headers['last-modified'] !== undefined && headers['last-modified'] !== pin.modified;
}

/** One range of `total` bytes of `url`, pinned to `pin`, checked and read whole. */
async function fetchRange(
  url: URL,
  range: { start: number; length: number },
  total: number,
  pin: Pin,
  signal: AbortSignal
): Promise<Buffer> {
  const last = range.start + range.length - 1;
  const headers: Record<string, string> = {
    range: `bytes=${range.start}-${last}`,
    'if-range': (pin.etag ?? pin.modified)!
  };
  if (pin.etag !== undefined) {
    headers['if-match'] = pin.etag;
  }
  const got = await fetchUrl(url, signal, { headers, accept: [200, 206, 412] });
  const { response } = got;
  try {
    const said = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers['content-range'] ?? '');
    if (got.status === 412 || changed(pin, response.headers) || (said && said[3] !== '*' && +said[3] !== total)) {
      throw new EosError('Conflict', `${url.href} changed while it was being imported; import it again`);
    }
    if (got.status !== 206) {
      throw new EosError('Upstream', `${url.href} offered byte ranges but answered a range with the whole file`);
    }
    if (!said || +said[1] !== range.start || +said[2] !== last) {
      const answered = response.headers['content-range'] ?? 'no Content-Range';
      throw new EosError('Upstream', `${url.href} answered ${answered} for bytes ${range.start}-${last}`);
    }
    const chunks: Buffer[] = [];
    let read = 0;
    try {
      for await (const chunk of response) {
        chunks.push(chunk as Buffer);
        read += (chunk as Buffer).length;
        if (read > range.length) {
          throw new EosError(
            'Upstream',
            `${url.href} sent more than the ${range.length} bytes from byte ${range.start}`
          );
        }
      }
    } catch (err) {
      throw signal.aborted || (err instanceof EosError && read > range.length) ? err : cutRange(got, range, read, err);
    }
    if (!got.ended() || read !== range.length) {
      throw cutRange(got, range, read);
    }
    return Buffer.concat(chunks, read);
  } finally {
    response.destroy();
  }
}

/** What a range that ended early or broke off becomes. */
function cutRange(got: Fetched, range: { start: number; length: number }, read: number, err?: unknown): EosError {
  const why = err instanceof Error && err.message ? ` (${err.message})` : '';
  return new EosError(
    'Upstream',
    `The connection to ${got.from} ended after ${read} of the ${range.length} bytes from byte ${range.start}${why}`
  );
}

/**
 * The file `fetched` answered into one object, fetched again in ranges: the
 * first answer's body is cancelled unread, so no byte is downloaded twice.
 * `onBytes` hears each part once stored (negative when a failed upload takes them back).
 */
export async function putInRanges(
  store: EosStore,
  ctx: JobContext,
  target: Target,
  contentType: string,
  fetched: Fetched,
  options: Pick<TransferOptions, 'partSize' | 'partsInFlight'>,
  onBytes: (n: number) => void
): Promise<void> {
  const { signal } = ctx;
  const total = fetched.length!;
  const pin = pinOf(fetched.response.headers)!;
  fetched.response.destroy();
  const ranges = partRanges(total, partSize(total, options.partSize));
  if (ranges.length > MAX_PARTS) {
    throw new EosError('PayloadTooLarge', `${fetched.url.href} is larger than S3 takes in one object`);
  }
  const upload = await createUpload(store, target, { ContentType: contentType }, signal);
  const close = ctx.openUpload(upload);
  const parts: UploadedPart[] = [];
  let sent = 0;
  try {
    await forEachConcurrent(ranges, options.partsInFlight, signal, async (range, partSignal) => {
      const body = await fetchRange(fetched.url, range, total, pin, partSignal);
      // A part on its way is not cut when another range fails (only by a cancel): S3 may still store
      // a part cut mid-request after the abort below, which keeps the upload alive (seen on versitygw).
      const etag = await uploadPart(store, upload, { n: range.n, body }, signal, target.uri);
      parts.push({ PartNumber: range.n, ETag: etag });
      sent += range.length;
      onBytes(range.length);
    });
    await completeTarget(store, upload, parts, target, total, signal);
    close();
  } catch (err) {
    onBytes(-sent);
    await abortUploadRetrying(store, upload, close);
    throw err;
  }
}
