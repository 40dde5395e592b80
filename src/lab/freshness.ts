/**
 * Keeps the EOS tree fresh after writes: the service reports the folders its
 * writes touched (and those of an `eos` command beside it), and only the
 * folders the tree holds a listing of are listed again, one request per
 * folder, with at most one more queued while one runs. A Refresh is still
 * there for writes by other clients.
 */
import { FolderChanges, formatEosUri, parent, parseEosUri } from '../core';
import type { IEosNode } from './tree';

/** What freshness needs of the tree model. */
export interface IFreshnessHost {
  /** The node at `uri`, if it is in the tree. */
  node(uri: string): IEosNode | undefined;
  /** List a folder again (with `deep` false: the folder alone). */
  refresh(uri: string, deep: boolean): Promise<void>;
}

/** The folder above `uri` in the tree, or null above a namespace root. */
function parentUri(uri: string): string | null {
  try {
    const up = parent(parseEosUri(uri));
    return up === null || up.namespace === null ? null : formatEosUri(up);
  } catch {
    return null;
  }
}

/** Lists again the folders of the tree that the service's writes touched. */
export class TreeFreshness {
  constructor(private readonly _model: IFreshnessHost) {}

  /**
   * Folders were written into or removed from:
   * - a folder the tree shows expanded is listed again (and when a removal
   *   leaves it empty, its parent too: a folder without objects is gone);
   * - a folder listed but collapsed drops its listing (listed when next
   *   expanded);
   * - otherwise the nearest listed folder above is listed again only when its
   *   rows must change: a write below a child it does not show yet, or a
   *   removal below a child it shows.
   */
  invalidate(changes: FolderChanges): void {
    const lists = new Set<string>();
    const emptied = new Set<string>();
    const take = (uri: string, removed: boolean) => {
      const node = this._model.node(uri);
      if (node && node.kind === 'folder' && node.loaded !== null) {
        lists.add(uri);
        if (node.expanded) {
          if (removed) {
            emptied.add(uri);
          }
          return;
        }
      }
      let child = uri;
      for (let up = parentUri(uri); up !== null; child = up, up = parentUri(up)) {
        const above = this._model.node(up);
        if (above && above.loaded !== null) {
          const shown = this._model.node(child) !== undefined;
          if (shown === removed) {
            lists.add(up);
          }
          return;
        }
      }
    };
    changes.written.forEach(uri => take(uri, false));
    changes.removed.forEach(uri => take(uri, true));
    for (const uri of lists) {
      void this._refresh(uri).then(() => {
        const up = parentUri(uri);
        if (emptied.has(uri) && this._model.node(uri)?.loaded === 0 && up !== null && !lists.has(up)) {
          return this._refresh(up);
        }
      });
    }
  }

  /** List `uri` again; while a listing of it runs, one more is queued (the write may have come after it started). */
  private _refresh(uri: string): Promise<void> {
    const running = this._running.get(uri);
    if (running) {
      this._again.add(uri);
      return running;
    }
    const run = this._model
      .refresh(uri, false)
      .catch(() => undefined)
      .then((): Promise<void> | undefined => {
        this._running.delete(uri);
        return this._again.delete(uri) ? this._refresh(uri) : undefined;
      });
    this._running.set(uri, run);
    return run;
  }

  private _again = new Set<string>();
  private _running = new Map<string, Promise<void>>();
}
