/**
 * Import from URLs: files served over http(s) streamed straight into EOS
 * objects, never through the local disk. Each response goes into one
 * PutObject (small, length known) or a multipart upload whose parts are sent
 * as they fill (a length not given is fine); a cut connection, an error
 * status or fewer bytes than `Content-Length` fails the item and aborts its
 * upload. Redirects are followed, at most `MAX_REDIRECTS` (`urlget.ts`). A
 * large file whose server offers byte ranges is fetched in parallel ranges
 * instead (`urlranges.ts`). One job holds all the URLs of a request. `storeBody` also stores the copies from S3
 * locations outside EOS that S3 cannot make server-side (`streamcopy.ts`).
 */
import { ConflictPolicy, EosError, ImportRequest, Job, MAX_KEY_BYTES, utf8Length } from '../../../core';
import { EosStore } from '../s3/store';
import { JobContext, Jobs } from '../jobs/jobs';
import { forEachConcurrent } from '../jobs/pool';
import { decideObject } from './conflicts';
import { UploadedPart, abortUploadRetrying, createUpload, partSize, uploadPart } from '../s3/multipart';
import { Place } from '../s3/places';
import { contentTypeOf } from './contenttypes';
import { putBody } from './putfile';
import { TransferOptions } from './run';
import { uploadDestination } from './upload';
import { IncomingBody, fetchUrl, isControl, parseImportUrl } from './urlget';
import { Target, completeTarget, putInRanges, rangeable } from './urlranges';

export { parseImportUrl } from './urlget';
export type { Target } from './urlranges';

/** URLs fetched at once. */
const URLS_IN_FLIGHT = 4;
/** The part size when the server gives no length: 16 MiB parts hold objects up to 160 GB. */
const UNKNOWN_SIZE_PART = 16 * 1024 * 1024;

/** The file name `Content-Disposition` gives (`filename*=UTF-8''…` first), if any. */
export function dispositionName(header: string | undefined): string | undefined {
  if (!header) {
    return undefined;
  }
  const extended = /filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // a malformed escape: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plain) {
    return undefined;
  }
  return plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1].trim();
}

/** The object name of an import: the given one, the server's, or the URL's last path segment. */
export function importName(url: URL, disposition: string | undefined): string {
  let name = dispositionName(disposition);
  if (!name) {
    const segment = url.pathname.split('/').pop() ?? '';
    try {
      name = decodeURIComponent(segment);
    } catch {
      name = segment;
    }
  }
  // A name only: no folders from a server, no control characters.
  name = [...(name.split(/[/\\]/).pop() ?? '')]
    .filter(ch => !isControl(ch))
    .join('')
    .trim();
  return name === '' || name === '.' || name === '..' ? url.hostname : name;
}

/** Check the destination and the URLs, then start the import as a job. */
export async function startImport(
  store: EosStore,
  jobs: Jobs,
  request: ImportRequest,
  options: TransferOptions,
  rerun: () => Promise<Job>
): Promise<Job> {
  if (!Array.isArray(request.urls) || request.urls.length === 0) {
    throw new EosError('InvalidRequest', 'Give at least one URL to import');
  }
  const urls = request.urls.map(parseImportUrl);
  if (request.name !== undefined && urls.length !== 1) {
    throw new EosError('InvalidRequest', 'A name can be given to one imported URL only');
  }
  const dest = uploadDestination(store, request.destination);
  if (request.name !== undefined) {
    checkName(dest, request.name);
  }
  const conflict = request.conflict ?? 'ask';
  return jobs.start(
    { kind: 'import', sources: urls.map(u => u.href), destination: dest.uri, request, rerun },
    async ctx => {
      ctx.progress.objects.total = urls.length;
      ctx.progress.bytes.total = 0;
      await forEachConcurrent(urls, URLS_IN_FLIGHT, ctx.signal, async url => {
        try {
          await importOne(store, ctx, url, dest, request.name, conflict, options);
        } catch (err) {
          if (ctx.signal.aborted) {
            throw err;
          }
          ctx.fail(url.href, err);
        }
      });
    }
  );
}

function checkName(dest: Place, name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || [...name].some(isControl)) {
    throw new EosError('InvalidRequest', `Not an object name: ${JSON.stringify(name)}`);
  }
  if (utf8Length(dest.key + name) > MAX_KEY_BYTES) {
    throw new EosError('InvalidRequest', `The key of ${name} would be longer than S3's ${MAX_KEY_BYTES} bytes`);
  }
}

/** One URL into one object. */
async function importOne(
  store: EosStore,
  ctx: JobContext,
  url: URL,
  dest: Place,
  givenName: string | undefined,
  policy: ConflictPolicy,
  options: TransferOptions
): Promise<void> {
  const { signal } = ctx;
  const fetched = await fetchUrl(url, signal);
  const { response, length } = fetched;
  try {
    const name = givenName ?? importName(fetched.url, response.headers['content-disposition']);
    checkName(dest, name);
    const modified = Date.parse(response.headers['last-modified'] ?? '');
    const decided = await decideObject(
      store,
      ctx,
      policy,
      dest,
      dest.key + name,
      {
        shown: url.href,
        size: length ?? 0,
        modified: Number.isNaN(modified) ? undefined : new Date(modified).toISOString()
      },
      signal
    );
    if (decided === null) {
      ctx.progress.skipped++;
      return;
    }
    // The total is known while every server says its length.
    const bytes = ctx.progress.bytes;
    bytes.total = length === null || bytes.total === null ? null : bytes.total + length;
    const target = { bucket: dest.bucket, ...decided };
    const served = (response.headers['content-type'] ?? '').split(';')[0].trim();
    const contentType =
      served && served !== 'application/octet-stream' ? served : contentTypeOf(decided.key.split('/').pop()!);
    const onBytes = (n: number) => (ctx.progress.bytes.done += n);
    if (rangeable(fetched, options)) {
      await putInRanges(store, ctx, target, contentType, fetched, options, onBytes);
    } else {
      await storeBody(store, ctx, target, contentType, fetched, options, onBytes);
    }
    ctx.progress.objects.done++;
  } finally {
    response.destroy();
  }
}

/**
 * A body into one object: one PutObject when its length is known and below
 * the part size, else a multipart upload whose parts are sent as they fill.
 * `onBytes` hears the bytes stored (negative when a failed upload takes them back).
 */
export async function storeBody(
  store: EosStore,
  ctx: JobContext,
  target: Target,
  contentType: string,
  body: IncomingBody,
  options: Pick<TransferOptions, 'partSize' | 'partsInFlight'>,
  onBytes: (n: number) => void
): Promise<void> {
  if (body.length !== null && body.length < options.partSize) {
    await putBody(store, target, await readAll(body, ctx.signal), { ContentType: contentType }, ctx.signal);
    onBytes(body.length);
  } else {
    await putInParts(store, ctx, target, contentType, body, options, onBytes);
  }
}

/** What a body that ended early or broke off becomes. */
function cut(fetched: IncomingBody, got: number, err?: unknown): EosError {
  const said = fetched.length === null ? '' : ` of ${fetched.length}`;
  const why = err instanceof Error && err.message ? ` (${err.message})` : '';
  return new EosError('Upstream', `The connection to ${fetched.from} ended after ${got}${said} bytes${why}`);
}

/** The whole body of a short response, checked against its length. */
async function readAll(fetched: IncomingBody, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of fetched.response) {
      chunks.push(chunk as Buffer);
      got += (chunk as Buffer).length;
    }
  } catch (err) {
    throw signal.aborted ? err : cut(fetched, got, err);
  }
  if (!fetched.ended() || (fetched.length !== null && got !== fetched.length)) {
    throw cut(fetched, got);
  }
  return Buffer.concat(chunks);
}

/**
 * The body into a multipart upload: a part is sent once it fills (the
 * response is paused while `partsInFlight` parts are in flight), the last
 * one at the end; the bytes are checked against the announced length
 * before the object is written.
 */
async function putInParts(
  store: EosStore,
  ctx: JobContext,
  target: Target,
  contentType: string,
  fetched: IncomingBody,
  options: Pick<TransferOptions, 'partSize' | 'partsInFlight'>,
  onBytes: (n: number) => void
): Promise<void> {
  const { signal } = ctx;
  const size = fetched.length === null ? UNKNOWN_SIZE_PART : partSize(fetched.length, options.partSize);
  const upload = await createUpload(store, target, { ContentType: contentType }, signal);
  const close = ctx.openUpload(upload);
  const parts: UploadedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let got = 0;
  let sent = 0;
  let n = 0;
  const send = (body: Buffer) => {
    const part = ++n;
    if (part > 10_000) {
      throw new EosError('PayloadTooLarge', `${fetched.from} is larger than S3 takes in ${size}-byte parts`);
    }
    const sending: Promise<void> = uploadPart(store, upload, { n: part, body }, signal, target.uri)
      .then(etag => {
        parts.push({ PartNumber: part, ETag: etag });
        sent += body.length;
        onBytes(body.length);
      })
      .catch(err => {
        failure ??= err;
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };
  try {
    let pending: Buffer[] = [];
    let filled = 0;
    try {
      for await (const data of fetched.response) {
        const chunk = data as Buffer;
        got += chunk.length;
        pending.push(chunk);
        filled += chunk.length;
        while (filled >= size) {
          const all = Buffer.concat(pending);
          send(all.subarray(0, size));
          pending = [all.subarray(size)];
          filled -= size;
        }
        while (inFlight.size >= options.partsInFlight && failure === undefined) {
          await Promise.race(inFlight);
        }
        if (failure !== undefined) {
          throw failure;
        }
      }
    } catch (err) {
      throw signal.aborted || err === failure ? err : cut(fetched, got, err);
    }
    if (!fetched.ended() || (fetched.length !== null && got !== fetched.length)) {
      throw cut(fetched, got);
    }
    if (filled > 0 || n === 0) {
      send(Buffer.concat(pending));
    }
    await Promise.all(inFlight);
    if (failure !== undefined) {
      throw failure;
    }
    await completeTarget(store, upload, parts, target, got, signal);
    close();
  } catch (err) {
    await Promise.allSettled(inFlight);
    onBytes(-sent);
    await abortUploadRetrying(store, upload, close);
    throw err;
  }
}
