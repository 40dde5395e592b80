/**
 * `eos cp SRC DST` and `eos mv SRC DST`: local disk -> EOS (upload), EOS ->
 * local disk (download), EOS -> EOS (server-side copy or move), each a job of
 * the engine the panel uses. Existing targets are refused unless `--force`
 * (overwrite) or `--no-clobber` (skip) says otherwise.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  ConflictPolicy,
  EosError,
  EosPath,
  Job,
  JobFailure,
  assertWritable,
  basename,
  formatEosUri,
  isFolder,
  parent
} from '../../../core';
import { failuresSummary, localError } from '../../engine';
import { PreviewItem, previewCopy, previewTransfer } from '../../engine';
import { parseImportUrl, refuseChange } from '../../engine';
import { NamedTransferRequest, TransferFilter } from '../../engine';
import { failuresError, follow, interruptible } from '../follow';
import { humanSize, integrityText } from '../format';
import { Output } from '../output';
import { Session, isRemote } from '../session';

export interface CpOptions {
  recursive?: boolean;
  dryrun?: boolean;
  /** Skip targets that exist. */
  clobber?: boolean;
  /** Overwrite targets that exist. */
  force?: boolean;
  /** Include and exclude globs, in the order given. */
  filters?: TransferFilter[];
}

/** A usage mistake: the message and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What the options say to do with existing targets. */
function conflictOf(options: CpOptions): ConflictPolicy {
  if (options.force && options.clobber === false) {
    throw new UsageError('--force and --no-clobber contradict each other');
  }
  return options.force ? 'overwrite' : options.clobber === false ? 'skip' : 'fail';
}

/** One `cp` or `mv` command: where it runs, its arguments and options. */
interface Copying {
  session: Session;
  out: Output;
  src: string;
  dst: string;
  options: CpOptions;
  conflict: ConflictPolicy;
  /** Delete each source once its copy is verified (`mv`). */
  move?: boolean;
}

export async function cp(session: Session, out: Output, src: string, dst: string, options: CpOptions): Promise<void> {
  const c: Copying = { session, out, src, dst, options, conflict: conflictOf(options) };
  if (isUrl(src)) {
    await importUrl(c);
    return;
  }
  if (!isRemote(src) && !isRemote(dst)) {
    throw new UsageError('one of SRC and DST must be an e:// or s3:// URI (use cp for local copies)');
  }
  if (isRemote(src) && isRemote(dst)) {
    await copyRemote(c, false);
  } else if (isRemote(dst)) {
    await upload(c);
  } else {
    await download(c);
  }
}

/**
 * A move: EOS -> EOS server-side; local -> EOS and EOS -> local as "Move to
 * EOS" does it: the copy first, each source deleted only once its copy is
 * written and verified (a skipped or failed one stays).
 */
export async function mv(session: Session, out: Output, src: string, dst: string, options: CpOptions): Promise<void> {
  const c: Copying = { session, out, src, dst, options, conflict: conflictOf(options), move: true };
  if (isUrl(src) || (!isRemote(src) && !isRemote(dst))) {
    throw new UsageError('one of SRC and DST must be an e:// or s3:// URI (use mv for local moves)');
  }
  if (isRemote(src)) {
    refuseMoveOut(session, src);
  }
  if (isRemote(src) && isRemote(dst)) {
    await copyRemote(c, true);
  } else if (isRemote(dst)) {
    await upload(c);
  } else {
    await download(c);
  }
}

/** A source in a read-only place cannot be deleted, so not moved: refused before anything (exit 1, as a read-only target). */
function refuseMoveOut(session: Session, src: string): void {
  const source = session.store.locate(src);
  try {
    refuseChange(source, session.store, 'move');
  } catch (err) {
    if (err instanceof EosError && err.code === 'ReadOnly') {
      throw new EosError(
        'ReadOnly',
        `Cannot move ${formatEosUri(source)}: it is read-only for you, so it cannot be deleted (copy it with eos cp)`
      );
    }
    throw err;
  }
}

/** The existing targets' hint appended to a `Conflict` refusal. */
export const CONFLICT_HINT = ' (use --force to overwrite, or --no-clobber to skip existing targets)';

function withHint(err: unknown): unknown {
  if (err instanceof EosError && err.code === 'Conflict' && / already exists?$/.test(err.message)) {
    return new EosError(err.code, err.message + CONFLICT_HINT, err.details);
  }
  return err;
}

async function upload(c: Copying): Promise<void> {
  const { session, src, dst, options } = c;
  const { store } = session;
  const target = store.locate(dst);
  assertWritable(target, store.ctx);
  const rel = session.local(src);
  const st = await fsp.stat(session.abs(src)).catch(err => {
    throw localError(err, src);
  });
  const folder = st.isDirectory();
  if (folder && !options.recursive) {
    throw new EosError('InvalidRequest', `${src} is a folder: copy it with -r (--recursive)`);
  }
  let destination: EosPath = target;
  let name: string | undefined;
  if (folder) {
    destination = asFolder(target);
    name = '';
  } else if (!isFolder(target) && !(await isEosFolder(session, target))) {
    destination = parent(target)!;
    name = basename(target);
  }
  const request: NamedTransferRequest = {
    kind: 'upload',
    sources: [rel],
    destination: formatEosUri(asFolder(destination)),
    conflict: c.conflict,
    name,
    filters: options.filters,
    move: c.move
  };
  await transfer(c, request);
}

async function download(c: Copying): Promise<void> {
  const { session, src, dst, options } = c;
  const { store } = session;
  const abs = session.abs(dst);
  session.local(dst);
  const entry = await store.stat(src);
  const folder = entry.kind === 'folder';
  if (folder && !options.recursive) {
    throw new EosError('InvalidRequest', `${entry.uri} is a folder: copy it with -r (--recursive)`);
  }
  const isDir = (await fsp.stat(abs).catch(() => null))?.isDirectory() ?? false;
  let destination = abs;
  let name: string | undefined;
  if (folder) {
    name = isDir ? '' : path.basename(abs);
    destination = isDir ? abs : path.dirname(abs);
  } else if (!isDir) {
    if (/[/\\]$/.test(dst)) {
      throw localError({ code: 'ENOENT' }, dst);
    }
    name = path.basename(abs);
    destination = path.dirname(abs);
  }
  const request: NamedTransferRequest = {
    kind: 'download',
    sources: [entry.uri],
    destination: session.local(destination),
    conflict: c.conflict,
    name,
    filters: options.filters,
    move: c.move
  };
  await transfer(c, request);
}

async function transfer(c: Copying, request: NamedTransferRequest): Promise<void> {
  const { session, out, dst } = c;
  const verb = c.move ? 'move' : request.kind;
  if (c.options.dryrun) {
    await preview(out, verb, signal => previewTransfer(session.store, session.config.rootDir, request, signal)).catch(
      err => Promise.reject(withHint(err))
    );
    return;
  }
  const job = await follow(session.engine, out, verb, signal =>
    session.engine.transfer(request, signal).catch(err => Promise.reject(withHint(err)))
  );
  report(out, job, c.move ? 'Moved' : verb === 'upload' ? 'Uploaded' : 'Downloaded', dst);
}

async function copyRemote(c: Copying, move: boolean): Promise<void> {
  const { session, out, src, dst, options, conflict } = c;
  const { store } = session;
  const target = store.locate(dst);
  assertWritable(target, store.ctx);
  const source = store.locate(src);
  if (move) {
    refuseChange(source, store, 'move');
  }
  if (options.filters?.length) {
    throw new UsageError('--exclude and --include apply to copies to and from the local disk');
  }
  const entry = await store.stat(src);
  if (entry.kind === 'folder' && !options.recursive) {
    throw new EosError(
      'InvalidRequest',
      `${entry.uri} is a folder: ${move ? 'move' : 'copy'} it with -r (--recursive)`
    );
  }
  let destination = formatEosUri(target);
  if (entry.kind === 'folder') {
    // Like `aws s3 cp -r`: the folder's contents go into DST (a namespace root: the folder goes in under its name).
    destination = target.key === '' ? formatEosUri(asFolder(target)) : formatEosUri(withoutSlash(target));
  } else if (!isFolder(target) && (await isEosFolder(session, target))) {
    destination = formatEosUri(asFolder(target));
  }
  const request = { sources: [entry.uri], destination, move, conflict };
  const verb = move ? 'move' : 'copy';
  if (options.dryrun) {
    await preview(out, verb, signal => previewCopy(store, request, signal));
    return;
  }
  const job = await follow(session.engine, out, verb, signal =>
    session.engine.copy(request, signal).catch(err => Promise.reject(withHint(err)))
  );
  report(out, job, move ? 'Moved' : 'Copied', dst);
}

/** An http(s) URL: a file `cp` imports into EOS. */
export function isUrl(arg: string): boolean {
  return /^https?:\/\//i.test(arg);
}

/** `eos cp URL e://…`: the service streams the URL's body into EOS; nothing is written to the local disk. */
async function importUrl(c: Copying): Promise<void> {
  const { session, out, src, dst, options } = c;
  if (!isRemote(dst)) {
    throw new UsageError('a URL is copied into EOS: DST must be an e:// or s3:// URI');
  }
  if (options.recursive || options.filters?.length) {
    throw new UsageError('-r, --exclude and --include do not apply to a URL');
  }
  const url = parseImportUrl(src).href;
  const target = session.store.locate(dst);
  assertWritable(target, session.store.ctx);
  let destination = target;
  let name: string | undefined;
  if (!isFolder(target) && !(await isEosFolder(session, target))) {
    destination = parent(target)!;
    name = basename(target);
  }
  const request = { urls: [url], destination: formatEosUri(asFolder(destination)), name, conflict: c.conflict };
  if (options.dryrun) {
    const shown = name === undefined ? request.destination : formatEosUri(target);
    await preview(out, 'import', async function* () {
      yield { source: url, target: shown, size: 0 };
    });
    return;
  }
  const job = await follow(session.engine, out, 'import', () =>
    session.engine.importUrls(request).catch(err => Promise.reject(withHint(err)))
  );
  report(out, job, 'Imported', dst);
}

/** Whether an EOS path without a trailing slash names an existing folder. */
async function isEosFolder(session: Session, target: EosPath): Promise<boolean> {
  try {
    return (await session.store.stat(formatEosUri(target))).kind === 'folder';
  } catch (err) {
    if (err instanceof EosError && err.code === 'NotFound') {
      return false;
    }
    throw err;
  }
}

function asFolder(p: EosPath): EosPath {
  return isFolder(p) ? p : { ...p, key: `${p.key}/` };
}

function withoutSlash(p: EosPath): EosPath {
  return p.key.endsWith('/') ? { ...p, key: p.key.slice(0, -1) } : p;
}

/**
 * `(dryrun) upload: a.txt to e://users/me/a.txt` per item, then what it adds
 * up to; an item that would be skipped says so, one that would fail is named
 * on stderr as the run names it, and the command then exits 1 as the run would.
 */
export async function preview(
  out: Output,
  verb: string,
  items: (signal: AbortSignal) => AsyncIterable<PreviewItem>
): Promise<void> {
  await interruptible(out, async signal => {
    let n = 0;
    let bytes = 0;
    let skipped = 0;
    const failures: JobFailure[] = [];
    const there = alreadyThere(verb === 'move');
    for await (const item of items(signal)) {
      if (item.error !== undefined) {
        failures.push({ item: item.source, error: item.error });
        if (out.json) {
          out.record({ dryrun: true, action: 'fail', ...item });
        }
        continue;
      }
      const action = item.skipped ? 'skip' : verb;
      if (item.skipped) {
        skipped++;
      } else {
        n++;
        bytes += item.size;
      }
      if (out.json) {
        out.record({ dryrun: true, action, ...item });
      } else {
        const to = item.target === undefined ? '' : ` ${item.skipped ? 'at' : 'to'} ${out.name(item.target)}`;
        out.result(`(dryrun) ${action}: ${out.name(item.source)}${to}${item.skipped ? ` (${there})` : ''}`);
      }
    }
    const skips = skipped ? `; ${skipped} skipped (${there})` : '';
    out.summary(`Would ${verb} ${n} file${n === 1 ? '' : 's'} (${humanSize(bytes)})${skips}`);
    if (failures.length > 0) {
      throw failuresError(out, failures, failuresSummary(failures));
    }
  });
}

/** Why an item is skipped: its target is there (and, for a move, its source stays). */
function alreadyThere(move: boolean): string {
  return move ? 'already there; source kept' : 'already there';
}

/** `Uploaded 3 files (1.2 MB) to e://...; 1 skipped (already there)`, or the job as JSON. */
export function report(out: Output, job: Job, verb: string, dst: string): void {
  if (out.json) {
    out.record(job);
    return;
  }
  const n = job.objects.done;
  const skipped = job.skipped ? `; ${job.skipped} skipped (${alreadyThere(verb === 'Moved')})` : '';
  const checked = integrityText(job);
  const integrity = checked === null ? '' : `; ${checked}`;
  out.summary(
    `${verb} ${n} file${n === 1 ? '' : 's'} (${humanSize(job.bytes.done)}) to ${out.name(dst)}${skipped}${integrity}`
  );
}
