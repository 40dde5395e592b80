/**
 * Local paths, confined to the Jupyter root.
 *
 * Paths come as JupyterLab's file browser gives them: relative to the root,
 * `/`-separated, `''` for the root itself. Nothing outside the root is ever
 * read or written: absolute paths, `..` segments, NUL and symbolic links that
 * lead out are refused with `OutsideRoot`.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { EosError } from '../../../core';

/** Whether `abs` is `root` or inside it (both absolute, normalised). */
export function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The absolute path of `rel` (relative to `root`, which must be a realpath).
 * Existing parts are resolved through their symbolic links; the result must
 * stay in the root.
 *
 * @throws EosError `OutsideRoot`
 */
export async function resolveLocal(root: string, rel: string): Promise<string> {
  const shown = JSON.stringify(rel.slice(0, 200));
  if (rel.includes('\0')) {
    throw new EosError('OutsideRoot', `Invalid local path ${shown}: it contains a NUL character`);
  }
  if (path.isAbsolute(rel) || rel.startsWith('\\')) {
    throw new EosError('OutsideRoot', `Local paths are relative to the Jupyter root; ${shown} is absolute`);
  }
  const segments = rel.split('/').filter(s => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new EosError('OutsideRoot', `The local path ${shown} leads out of the Jupyter root ('..')`);
  }
  const abs = path.join(root, ...segments);
  await assertRealInside(root, abs, rel);
  return abs;
}

/**
 * Refuse `abs` when its deepest existing part resolves (symbolic links
 * followed) to a place outside `root`.
 *
 * @throws EosError `OutsideRoot`
 */
export async function assertRealInside(root: string, abs: string, shown: string): Promise<void> {
  let probe = abs;
  let rest: string[] = [];
  for (;;) {
    try {
      const real = await fsp.realpath(probe);
      const full = path.join(real, ...rest);
      if (!isInside(root, full)) {
        throw new EosError(
          'OutsideRoot',
          `The local path ${JSON.stringify(shown.slice(0, 200))} leads out of the Jupyter root (a symbolic link)`
        );
      }
      return;
    } catch (err) {
      if (err instanceof EosError) {
        throw err;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || probe === root) {
        if (code === 'ELOOP') {
          throw new EosError('OutsideRoot', `The local path ${JSON.stringify(shown)} is a loop of symbolic links`);
        }
        throw localError(err, shown);
      }
      rest = [path.basename(probe), ...rest];
      probe = path.dirname(probe);
    }
  }
}

/**
 * The segments of an S3 key's part below a source folder, as local names.
 * Refuses (`InvalidRequest`) segments a local path cannot faithfully hold:
 * `..`, `.`, empty ones and NUL, so a key can never write outside its target.
 * A trailing `/` (a folder marker) gives `folder: true`.
 */
export function keySegments(rel: string): { segments: string[]; folder: boolean } {
  const folder = rel.endsWith('/');
  const body = folder ? rel.slice(0, -1) : rel;
  const segments = body === '' ? [] : body.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.includes('\0')) {
      throw new EosError(
        'InvalidRequest',
        `The key part ${JSON.stringify(rel.slice(0, 200))} has a segment (${JSON.stringify(s)}) that cannot be a local name`
      );
    }
  }
  if (segments.length === 0 && !folder) {
    throw new EosError('InvalidRequest', 'An empty key part cannot be a local name');
  }
  return { segments, folder };
}

/** The path of `abs` relative to the root, as the file browser shows it. */
export function relativeTo(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/**
 * Whether a name is one of the engine's temporary download files
 * (`partialPath`): walks of local folders leave them out, as an interrupted
 * download may keep one for a retry (transfer/resumedownload.ts).
 */
export function isPartialName(name: string): boolean {
  return /^\..+\.eos-partial-[0-9a-f]{12}$/.test(name);
}

/** A hidden temporary name beside `final`: `.name.eos-partial-<random>`. */
export function partialPath(final: string): string {
  // The last group of a random UUID: 12 random hex digits, from a cache of entropy (no call to the system per file).
  return path.join(path.dirname(final), `.${path.basename(final)}.eos-partial-${randomUUID().slice(-12)}`);
}

/** `name (n).ext`: the n-th "keep both" name of a file or folder name. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) {
    return `${name} (${n})`;
  }
  // Keep double extensions of compressed genomics files together: a.vcf.gz -> a (1).vcf.gz.
  const gz = /\.(gz|bgz|bz2|xz|zst)$/i.test(name) ? name.lastIndexOf('.', dot - 1) : -1;
  const at = gz > 0 ? gz : dot;
  return `${name.slice(0, at)} (${n})${name.slice(at)}`;
}

/** An `EosError` for a failed local file operation, naming the path. */
export function localError(err: unknown, shown: string): EosError {
  if (err instanceof EosError) {
    return err;
  }
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
  const what = JSON.stringify(shown.slice(0, 200));
  switch (code) {
    case 'ENOENT':
      return undecodableName(shown) ?? new EosError('NotFound', `${what} does not exist on the server's disk`, code);
    case 'EACCES':
    case 'EPERM':
      return new EosError('AccessDenied', `Permission denied on ${what} on the server's disk`, code);
    case 'ENOSPC':
    case 'EDQUOT':
      return noSpace(shown, code);
    case 'EEXIST':
      return new EosError('Conflict', `${what} already exists`, code);
    case 'EISDIR':
      return new EosError('Conflict', `${what} is a folder on the server's disk`, code);
    case 'ENOTDIR':
      return new EosError('Conflict', `A file on the server's disk is in the way of ${what}`, code);
    default:
      return new EosError(
        'Internal',
        `Cannot access ${what} on the server's disk: ${code}`,
        err instanceof Error ? err.message : String(err)
      );
  }
}

/**
 * The disk (or the user's disk quota) is full: names the folder and the file
 * that could not be written, and what to do.
 *
 * @param details the system's code, or how much of a write went through
 */
export function noSpace(shown: string, details: string): EosError {
  const slash = shown.lastIndexOf('/');
  const folder = slash < 0 ? 'the Jupyter root' : `the folder ${JSON.stringify(shown.slice(0, slash).slice(0, 200))}`;
  return new EosError(
    'NoSpace',
    `No space left on the server's disk in ${folder} while writing ${JSON.stringify(shown.slice(0, 200))}; ` +
      'free some space and retry',
    details
  );
}

/**
 * Node reads file names as UTF-8 and puts U+FFFD in place of bytes that are
 * not: a name read that way names no file, and opening it fails with ENOENT.
 * Such a failure is about the name, not a missing file: say so, naming the
 * folder that holds it. Null when `shown` has no replaced bytes.
 */
export function undecodableName(shown: string): EosError | null {
  const segments = shown.split('/');
  const at = segments.findIndex(s => s.includes('\uFFFD'));
  if (at < 0) {
    return null;
  }
  const folder = segments.slice(0, at).join('/') || '.';
  return new EosError(
    'InvalidRequest',
    `A name in the folder ${JSON.stringify(folder.slice(0, 200))} of the server's disk is not valid UTF-8 ` +
      `(${JSON.stringify(segments[at].slice(0, 200))}): it cannot be represented; rename it`,
    'ENOENT'
  );
}
