/**
 * A walk of a local tree that counts its allocated size as `du -sB1` does
 * (`st_blocks * 512` of every entry, folders and the top included, hard links
 * once), with asynchronous calls only: the event loop answers other requests
 * between any two of them. For the "largest items" ranking it keeps each
 * file's apparent size (its byte count, what the file browser shows: an 84 B
 * file is 84 B, not the 4 kB block it takes) and each folder's sum of those,
 * and it reports the folders it cannot read.
 */
import { Dirent, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DiskItem } from '../../../core';
import { undecodableName } from './confine';

/** What a walk has counted so far. */
export interface WalkProgress {
  files: number;
  folders: number;
  /** Allocated bytes. */
  bytes: number;
}

/** A folder the walk could not read. */
export interface Unreadable {
  path: string;
  error: string;
}

/** How a walk runs. */
export interface WalkOptions {
  /** `lstat` calls in flight at once (default 16). */
  concurrency?: number;
  /** Stops the walk (its result is then incomplete and thrown away). */
  signal?: AbortSignal;
}

/** The result of a finished walk. */
export interface WalkResult extends WalkProgress {
  /** Every file and folder under the top (not the top itself), unsorted. */
  items: DiskItem[];
  unreadable: Unreadable[];
}

interface Folder {
  item: DiskItem | null;
  parent: Folder | null;
}

/**
 * Walk `top` (absolute); paths in the result are relative to it. Symbolic
 * links are counted as themselves and never followed; other filesystems
 * mounted below are counted (as `du` without `-x` does).
 */
export class TreeWalk {
  readonly progress: WalkProgress = { files: 0, folders: 0, bytes: 0 };
  private readonly seen = new Set<string>();
  private readonly items: DiskItem[] = [];
  private readonly unreadable: Unreadable[] = [];

  constructor(
    readonly top: string,
    private readonly options: WalkOptions = {}
  ) {}

  /** Run the walk to its end. */
  async run(): Promise<WalkResult> {
    const st = await fsp.lstat(this.top);
    this.add(null, st.blocks * 512, 0);
    const queue: { abs: string; rel: string; folder: Folder }[] = [
      { abs: this.top, rel: '', folder: { item: null, parent: null } }
    ];
    const concurrency = this.options.concurrency ?? 16;
    while (queue.length > 0) {
      this.options.signal?.throwIfAborted();
      const dir = queue.pop()!;
      let names: Dirent[];
      try {
        names = await fsp.readdir(dir.abs, { withFileTypes: true });
      } catch (err) {
        this.unreadable.push({ path: dir.rel, error: errorText(err) });
        continue;
      }
      for (let i = 0; i < names.length; i += concurrency) {
        this.options.signal?.throwIfAborted();
        const batch = names.slice(i, i + concurrency);
        await Promise.all(
          batch.map(async d => {
            const abs = path.join(dir.abs, d.name);
            const rel = dir.rel === '' ? d.name : `${dir.rel}/${d.name}`;
            let s;
            try {
              s = await fsp.lstat(abs);
            } catch (err) {
              // Gone since the listing (a temporary file): nothing to count; a name that
              // is not UTF-8 cannot be opened either, and is said (its bytes are on the disk).
              if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
                this.unreadable.push({ path: rel, error: errorText(err) });
              } else if (undecodableName(rel) !== null) {
                this.unreadable.push({ path: rel, error: 'name not valid UTF-8' });
              }
              return;
            }
            const modified = new Date(s.mtimeMs).toISOString();
            if (s.isDirectory()) {
              const item: DiskItem = { path: rel, kind: 'folder', size: 0, modified };
              const folder: Folder = { item, parent: dir.folder };
              this.items.push(item);
              this.progress.folders++;
              this.add(folder, s.blocks * 512, 0);
              queue.push({ abs, rel, folder });
              return;
            }
            this.progress.files++;
            // A hard link's blocks are counted at its first name only (as `du` does).
            const first = s.nlink < 2 || this.once(`${s.dev}:${s.ino}`);
            const size = first ? s.size : 0;
            this.items.push({ path: rel, kind: 'file', size, modified });
            this.add(dir.folder, first ? s.blocks * 512 : 0, size);
          })
        );
      }
    }
    return { ...this.progress, items: this.items, unreadable: this.unreadable };
  }

  private once(key: string): boolean {
    if (this.seen.has(key)) {
      return false;
    }
    this.seen.add(key);
    return true;
  }

  /** Count `allocated` bytes in the total, and `apparent` ones in `folder` and every folder above it. */
  private add(folder: Folder | null, allocated: number, apparent: number): void {
    this.progress.bytes += allocated;
    for (let f = folder; f !== null && apparent > 0; f = f.parent) {
      if (f.item) {
        f.item.size += apparent;
      }
    }
  }
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? String(err));
}
