/**
 * The largest local items as a tree: the Jupyter root's files and folders,
 * biggest first, one level per request (`api/disk/largest?under=`), a folder
 * opened to show what fills it. No row of a level holds another, and a
 * selection never holds an item together with a folder above it, so neither
 * a level nor a selection counts any byte twice. State only, no DOM.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { DiskItem, DiskLargestResponse } from '../../core';

/** One level of the tree: a folder's items (the root's is `''`). */
export interface ILargestLevel {
  items: DiskItem[];
  /** The offset of the next page; null when all are shown. */
  next: number | null;
  /** Items in the folder. */
  total: number;
}

/** A row of the tree as shown: an item at its depth, or a folder's "show more". */
export type LargestRow =
  | { type: 'item'; item: DiskItem; depth: number }
  | { type: 'more'; parent: string; depth: number; left: number }
  | { type: 'loading'; parent: string; depth: number };

/** The folder holding a relative path (`''` for the root). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Whether `path` is inside the folder `folder` (at any depth). */
export function isInside(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

/** Only the outermost of the items (a file inside a chosen folder goes with it). */
export function outermost(items: DiskItem[]): DiskItem[] {
  const folders = items.filter(i => i.kind === 'folder').map(i => i.path);
  return items.filter(i => !folders.some(f => isInside(i.path, f)));
}

/** The bytes of the items, each byte once (an item inside another is not added again). */
export function totalSize(items: DiskItem[]): number {
  return outermost(items).reduce((n, i) => n + i.size, 0);
}

/** The tree of the largest items and its selection. */
export class LargestTree {
  constructor(options: LargestTree.IOptions) {
    this._fetch = options.fetch;
  }

  /** Emitted after every change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The root level's last answer (when the walk ran, unreadable folders); null before. */
  get page(): DiskLargestResponse | null {
    return this._page;
  }

  /** The rows to show, depth first, each folder's items biggest first. */
  get rows(): LargestRow[] {
    const rows: LargestRow[] = [];
    const add = (parent: string, depth: number) => {
      const level = this._levels.get(parent);
      if (!level) {
        rows.push({ type: 'loading', parent, depth });
        return;
      }
      for (const item of level.items) {
        rows.push({ type: 'item', item, depth });
        if (this._expanded.has(item.path)) {
          add(item.path, depth + 1);
        }
      }
      if (level.next !== null) {
        rows.push({ type: 'more', parent, depth, left: level.total - level.items.length });
      }
    };
    if (this._page !== null) {
      add('', 0);
    }
    return rows;
  }

  isExpanded(path: string): boolean {
    return this._expanded.has(path);
  }

  /** The selected items (never one inside another). */
  get selected(): DiskItem[] {
    return [...this._selected.values()];
  }

  /** The bytes the selection holds, each once. */
  get selectedSize(): number {
    return totalSize(this.selected);
  }

  isSelected(path: string): boolean {
    return this._selected.has(path);
  }

  /** The selected folder `path` is in, which takes it along; null when none. */
  coveredBy(path: string): string | null {
    for (const folder of this._selected.keys()) {
      if (isInside(path, folder)) {
        return folder;
      }
    }
    return null;
  }

  /**
   * Select or unselect an item. Selecting a folder drops the items inside it
   * from the selection (they go with it); an item inside a selected folder
   * cannot be chosen on its own.
   */
  toggle(item: DiskItem, on: boolean): void {
    if (on) {
      if (this.coveredBy(item.path) !== null) {
        return;
      }
      for (const path of [...this._selected.keys()]) {
        if (isInside(path, item.path)) {
          this._selected.delete(path);
        }
      }
      this._selected.set(item.path, item);
    } else {
      this._selected.delete(item.path);
    }
    this._changed.emit();
  }

  clearSelection(): void {
    this._selected.clear();
    this._changed.emit();
  }

  /** Fetch the root level and every open folder again from their start. */
  async load(): Promise<void> {
    const open = [...this._expanded];
    // A folder that cannot be listed any more (gone) closes; the root's failure is the caller's.
    const [root, ...levels] = await Promise.all([
      this._fetch('', 0),
      ...open.map(under => this._fetch(under, 0).catch(() => null))
    ]);
    this._page = root;
    this._levels = new Map([['', levelOf(root)]]);
    open.forEach((path, i) => {
      const level = levels[i];
      if (level && level.total > 0) {
        this._levels.set(path, levelOf(level));
      } else {
        this._expanded.delete(path);
      }
    });
    // Keep the selection's items that are still there, with their new sizes.
    const known = new Map<string, DiskItem>();
    for (const level of this._levels.values()) {
      level.items.forEach(i => known.set(i.path, i));
    }
    for (const path of [...this._selected.keys()]) {
      const now = known.get(path);
      if (now) {
        this._selected.set(path, now);
      } else if (this._levels.has(parentOf(path))) {
        this._selected.delete(path);
      }
    }
    this._changed.emit();
  }

  /** Open a folder, fetching its first page. */
  async expand(path: string): Promise<void> {
    if (this._expanded.has(path)) {
      return;
    }
    this._expanded.add(path);
    this._changed.emit();
    try {
      this._levels.set(path, levelOf(await this._fetch(path, 0)));
    } catch (reason) {
      this._expanded.delete(path);
      throw reason;
    } finally {
      this._changed.emit();
    }
  }

  collapse(path: string): void {
    this._expanded.delete(path);
    this._changed.emit();
  }

  /** Fetch the next page of a folder (`''` the root). */
  async more(parent: string): Promise<void> {
    const level = this._levels.get(parent);
    if (!level || level.next === null) {
      return;
    }
    const page = await this._fetch(parent, level.next);
    const seen = new Set(level.items.map(i => i.path));
    this._levels.set(parent, {
      items: [...level.items, ...page.items.filter(i => !seen.has(i.path))],
      next: page.next,
      total: page.total
    });
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _expanded = new Set<string>();
  private _fetch: LargestTree.IOptions['fetch'];
  private _levels = new Map<string, ILargestLevel>();
  private _page: DiskLargestResponse | null = null;
  private _selected = new Map<string, DiskItem>();
}

function levelOf(page: DiskLargestResponse): ILargestLevel {
  return { items: page.items, next: page.next, total: page.total };
}

/** The namespace for `LargestTree` statics. */
export namespace LargestTree {
  /** The options to create a tree. */
  export interface IOptions {
    /** One page of the items directly in the folder `under` (`''` the root), from `offset`. */
    fetch(under: string, offset: number): Promise<DiskLargestResponse>;
  }
}
