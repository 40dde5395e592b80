/**
 * `eos ls [URI]`: one level (folders, then objects), or every object under
 * it with `-r`; `-l` long form, `-h` human sizes, a summary line.
 */
import { Entry, EosPath, MAX_LIST_LIMIT, accessOf, formatEosUri, isFolder, toS3 } from '../../../core';
import { EosStore } from '../../engine';
import { dateText, sizeText } from '../format';
import { Output } from '../output';
import { Session } from '../session';

export interface LsOptions {
  recursive?: boolean;
  long?: boolean;
  human?: boolean;
  summarize?: boolean;
}

/** The default of `eos ls`: the user's own space. */
export const HOME_URI = 'e://users/me/';

/** What is counted for the summary line. */
interface Tally {
  objects: number;
  folders: number;
  bytes: number;
}

export async function ls(session: Session, out: Output, uri: string | undefined, options: LsOptions): Promise<void> {
  const store = session.store;
  const path = store.locate(uri ?? HOME_URI);
  const tally: Tally = { objects: 0, folders: 0, bytes: 0 };
  const show = (entry: Entry, name: string) => {
    if (entry.kind === 'folder') {
      tally.folders++;
    } else {
      tally.objects++;
      tally.bytes += entry.size ?? 0;
    }
    printEntry(out, entry, name, options);
  };
  let folder = path;
  if (!isFolder(path)) {
    const entry = await store.stat(formatEosUri(path));
    if (entry.kind === 'object') {
      show(entry, entry.name);
      summarize(out, tally, options);
      return;
    }
    folder = store.locate(entry.uri);
  }
  if (options.recursive) {
    await listDeep(store, folder, '', show);
  } else {
    await listLevel(store, folder, show);
  }
  summarize(out, tally, options);
}

/** Every entry of one folder level, page by page. */
async function listLevel(store: EosStore, folder: EosPath, show: (e: Entry, name: string) => void): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await store.list(formatEosUri(folder), { limit: MAX_LIST_LIMIT, cursor });
    for (const e of page.entries) {
      show(e, e.kind === 'folder' ? `${e.name}/` : e.name);
    }
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
}

/**
 * Every object under a folder, named relative to where the listing started;
 * `e://` and `e://users/` (lists of roots) are listed level by level down to
 * the namespaces, then walked.
 */
async function listDeep(
  store: EosStore,
  folder: EosPath,
  prefix: string,
  show: (e: Entry, name: string) => void
): Promise<void> {
  if (folder.namespace === null || (folder.namespace === 'users' && folder.user === null)) {
    const roots: Entry[] = [];
    await listLevel(store, folder, e => roots.push(e));
    for (const root of roots) {
      await listDeep(store, store.locate(root.uri), `${prefix}${root.name}/`, show);
    }
    return;
  }
  const { bucket, key } = toS3(folder, store.ctx);
  const uri = formatEosUri(folder);
  for await (const o of store.walk(bucket, key, uri)) {
    const rel = o.key.slice(key.length);
    if (rel === '') {
      continue; // the folder's own marker
    }
    const path: EosPath = { ...folder, key: folder.key + rel };
    const marker = rel.endsWith('/');
    const entry: Entry = {
      kind: marker ? 'folder' : 'object',
      name: rel,
      uri: formatEosUri(path),
      access: accessOf(path, store.ctx)
    };
    if (!marker) {
      entry.size = o.size;
      entry.modified = o.modified?.toISOString();
      if (o.storageClass) {
        entry.storageClass = o.storageClass;
      }
    }
    show(entry, prefix + rel);
  }
}

function printEntry(out: Output, entry: Entry, name: string, options: LsOptions): void {
  if (out.json) {
    out.record({ ...entry, path: name });
    return;
  }
  const shown = out.name(name);
  if (!options.long) {
    out.result(shown);
    return;
  }
  if (entry.kind === 'folder') {
    out.result(`${dateText(undefined)}  ${'DIR'.padStart(12)}  ${''.padEnd(12)}  ${shown}`);
    return;
  }
  const size = sizeText(entry.size ?? 0, options.human === true).padStart(12);
  out.result(`${dateText(entry.modified)}  ${size}  ${(entry.storageClass ?? 'STANDARD').padEnd(12)}  ${shown}`);
}

/** `12 objects, 3 folders, 1.2 GB`: on a terminal, or with `--summarize`. */
function summarize(out: Output, tally: Tally, options: LsOptions): void {
  if (out.json || out.quiet || !(out.terminal || options.summarize)) {
    return;
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const size = sizeText(tally.bytes, true);
  const bytes = options.human ? size : `${tally.bytes} bytes (${size})`;
  out.result(`Total: ${plural(tally.objects, 'object')}, ${plural(tally.folders, 'folder')}, ${bytes}`);
}
