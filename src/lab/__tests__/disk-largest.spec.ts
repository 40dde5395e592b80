/**
 * The free-up-space view's tree of the largest items: one level per request,
 * and neither a level nor a selection counting any byte twice.
 */
import { DiskItem, DiskLargestResponse } from '../../core';
import { LargestTree, outermost, totalSize } from '../disk/largest';

const modified = '2026-12-01T00:00:00.000Z';
const file = (path: string, size: number): DiskItem => ({ path, kind: 'file', size, modified });
const folder = (path: string, size: number): DiskItem => ({ path, kind: 'folder', size, modified });

/** A root of 3.1 MB: data/ (3 MB: a.bin 2 MB, b.bin 1 MB) and notes.txt (84 B). */
const LEVELS: Record<string, DiskItem[]> = {
  '': [folder('data', 3_000_000), file('notes.txt', 84)],
  data: [file('data/a.bin', 2_000_000), file('data/b.bin', 1_000_000)]
};

function answer(under: string, offset: number, limit = 100): DiskLargestResponse {
  const all = LEVELS[under] ?? [];
  const items = all.slice(offset, offset + limit);
  const end = offset + items.length;
  return {
    items,
    total: all.length,
    next: end < all.length ? end : null,
    measuredAt: modified,
    walk: { state: 'done', files: 3, folders: 1, bytes: 0, started: null, finished: modified, unreadable: 0 },
    unreadable: []
  };
}

function tree(limit?: number): { tree: LargestTree; asked: string[] } {
  const asked: string[] = [];
  const t = new LargestTree({
    fetch: async (under, offset) => {
      asked.push(`${under}@${offset}`);
      return answer(under, offset, limit);
    }
  });
  return { tree: t, asked };
}

const paths = (t: LargestTree) => t.rows.map(r => (r.type === 'item' ? `${r.depth} ${r.item.path}` : r.type));

describe('the largest items as a tree', () => {
  it('shows the top level first, then a folder opened under it', async () => {
    const { tree: t, asked } = tree();
    await t.load();
    expect(paths(t)).toEqual(['0 data', '0 notes.txt']);
    // The rows of one level never hold each other: they add up to the root's size.
    const top = t.rows.flatMap(r => (r.type === 'item' ? [r.item] : []));
    expect(top.reduce((n, i) => n + i.size, 0)).toBe(3_000_084);
    await t.expand('data');
    expect(paths(t)).toEqual(['0 data', '1 data/a.bin', '1 data/b.bin', '0 notes.txt']);
    // A reload lists the open folder again.
    await t.load();
    expect(asked).toEqual(['@0', 'data@0', '@0', 'data@0']);
    t.collapse('data');
    expect(paths(t)).toEqual(['0 data', '0 notes.txt']);
  });

  it('pages a level with a "more" row', async () => {
    const { tree: t } = tree(1);
    await t.load();
    expect(t.rows.map(r => r.type)).toEqual(['item', 'more']);
    await t.more('');
    expect(paths(t)).toEqual(['0 data', '0 notes.txt']);
  });

  it('never counts a folder and what is inside it twice in a selection', async () => {
    const { tree: t } = tree();
    await t.load();
    await t.expand('data');
    const [data, a] = [LEVELS[''][0], LEVELS.data[0]];
    t.toggle(a, true);
    expect(t.selectedSize).toBe(2_000_000);
    // The folder takes its files along: a.bin leaves the selection, shown as covered.
    t.toggle(data, true);
    expect(t.selected.map(i => i.path)).toEqual(['data']);
    expect(t.selectedSize).toBe(3_000_000);
    expect(t.coveredBy('data/b.bin')).toBe('data');
    // A file inside a selected folder cannot be added on its own.
    t.toggle(LEVELS.data[1], true);
    expect(t.selected.map(i => i.path)).toEqual(['data']);
    t.toggle(LEVELS[''][1], true);
    expect(t.selectedSize).toBe(3_000_084);
    t.toggle(data, false);
    expect(t.coveredBy('data/b.bin')).toBeNull();
    expect(t.selected.map(i => i.path)).toEqual(['notes.txt']);
  });

  it('adds sizes of items given together once each', () => {
    const items = [folder('data', 3_000_000), file('data/a.bin', 2_000_000), file('database.bin', 5)];
    expect(outermost(items).map(i => i.path)).toEqual(['data', 'database.bin']);
    expect(totalSize(items)).toBe(3_000_005);
  });
});
