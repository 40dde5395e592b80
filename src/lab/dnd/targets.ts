/**
 * Where a drop lands and whether it may: the folder a row stands for, the
 * refusal of read-only folders, and the checks of a move inside EOS.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { Access, EosContext, canWrite, parseUri } from '../../core';
import { pathOf } from '../commands/context';

/** What a row of the tree tells about a drop target. */
export interface IRowTarget {
  uri: string;
  kind: 'folder' | 'object';
  access: Access;
  /** The folder holding it; null for a root. */
  parent: string | null;
}

/** The folder a drop on this row goes into: the row's folder, or the folder of an object. */
export function dropFolder(row: IRowTarget): string | null {
  return row.kind === 'folder' ? row.uri : row.parent;
}

/**
 * Why nothing may be written into `folder`, or null when it may: the folder's
 * access as listed, and the namespace rules of the user's context.
 */
export function writeProblem(
  folder: string,
  access: Access | null,
  ctx: EosContext | null,
  trans: TranslationBundle
): string | null {
  const path = pathOf(folder);
  if (path === null || !folder.endsWith('/')) {
    return trans.__('%1 is not an EOS folder.', folder);
  }
  if (path.namespace === null || (path.namespace === 'users' && path.user === null)) {
    return trans.__('Choose a folder inside a namespace.');
  }
  if (access === 'read' || (ctx !== null && !canWrite(path, ctx))) {
    return trans.__('%1 is read-only.', folder);
  }
  return null;
}

/** The folder holding an item (a URI ending in `/` is a folder). */
export function parentOf(uri: string): string {
  const trimmed = uri.endsWith('/') ? uri.slice(0, -1) : uri;
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

/** What moving or copying EOS items into a folder would do. */
export type MovePlan = { type: 'move'; sources: string[] } | { type: 'noop' } | { type: 'refused'; reason: string };

/**
 * Check a drop of EOS items on `folder`: a folder cannot go into itself or a
 * descendant; items already in `folder` stay where they are (a move of them
 * all onto their own folder does nothing); a copy onto the same folder is
 * refused, since every name would collide.
 */
export function planMove(
  sources: readonly string[],
  folder: string,
  copy: boolean,
  trans: TranslationBundle
): MovePlan {
  for (const source of sources) {
    if (source.endsWith('/') && folder.startsWith(source)) {
      return {
        type: 'refused',
        reason:
          folder === source
            ? trans.__('A folder cannot be moved into itself.')
            : trans.__('A folder cannot be moved into its own subfolder.')
      };
    }
  }
  const moving = sources.filter(source => parentOf(source) !== folder);
  if (moving.length === 0) {
    return copy ? { type: 'refused', reason: trans.__('The items are already in %1.', folder) } : { type: 'noop' };
  }
  return { type: 'move', sources: moving };
}

/** Whether every URI is an item the user may delete (a move deletes its sources). */
export function canMoveFrom(sources: readonly string[], ctx: EosContext | null): boolean {
  return sources.every(source => {
    try {
      return ctx === null || canWrite(parseUri(source), ctx);
    } catch {
      return false;
    }
  });
}
