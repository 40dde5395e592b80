import { nullTranslator } from '@jupyterlab/translation';

import { EosError } from '../../core';
import { fileIcon, folderIcon, notebookIcon, spreadsheetIcon } from '@jupyterlab/ui-components';

import { formatDate, formatSize, itemTooltip } from '../components/format';
import { errorTitle } from '../errors';
import { iconFor, bamIcon, fastqIcon, vcfIcon } from '../icons';
import { displayName, isArchived, mergeSorted, makeComparer, makeNode, startsReadOnly, statusOf } from '../tree';

const trans = nullTranslator.load('jupyterlab_eos');

describe('formatSize', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1536, '1.5 kB'],
    [2_500_000, '2.5 MB'],
    [123_456_789, '123 MB'],
    [999_960, '1.0 MB'],
    [200 * 1000 ** 3, '200 GB'],
    [5 * 1000 ** 6, '5000 PB']
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe('formatDate, short (the Modified column)', () => {
  const now = new Date(2026, 11, 4, 16, 30);
  const local = (...parts: [number, number, number, number, number]) => new Date(...parts).toISOString();

  it('says the time today, the month and day this year, the date before: never both date and time', () => {
    const today = formatDate(local(2026, 11, 4, 9, 5), true, now);
    expect(today).toBe(new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(2026, 11, 4, 9, 5)));
    const thisYear = formatDate(local(2026, 2, 7, 9, 5), true, now);
    expect(thisYear).toBe(
      new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(new Date(2026, 2, 7))
    );
    const before = formatDate(local(2024, 2, 7, 9, 5), true, now);
    expect(before).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(2024, 2, 7)));
    for (const text of [today, thisYear, before]) {
      expect(text.length).toBeLessThanOrEqual(12);
    }
  });
});

describe('itemTooltip', () => {
  it('gives the URI, then size, date and storage class of an object, and says read-only', () => {
    const node = makeNode(
      {
        uri: 'e://gencove/ref.fa',
        name: 'ref.fa',
        kind: 'object',
        access: 'read',
        size: 3_000_000,
        modified: '2024-01-02T03:04:05Z',
        storageClass: 'GLACIER'
      },
      'ref.fa',
      'e://gencove/',
      2
    );
    const lines = itemTooltip(node, trans).split('\n');
    expect(lines[0]).toBe('e://gencove/ref.fa');
    expect(lines[1]).toBe('Size: 3.0 MB');
    expect(lines[2]).toMatch(/^Modified: .*2024/);
    expect(lines.slice(3)).toEqual(['Storage class: GLACIER', 'Archived: restore it before reading', 'Read-only']);
  });

  it('gives only the URI of a writable folder', () => {
    const node = makeNode({ uri: 'e://org/a/', name: 'a', kind: 'folder', access: 'readwrite' }, 'a', 'e://org/', 2);
    expect(itemTooltip(node, trans)).toBe('e://org/a/');
  });
});

describe('tree helpers', () => {
  const root = makeNode({ uri: 'e://org/', name: 'org', kind: 'folder', access: 'readwrite' }, 'Organization', null, 1);

  it('names the status a folder shows after its children', () => {
    const view = { children: [] as string[], loading: false, error: null, next: null, listed: false };
    const error = new EosError('Internal', 'x');
    expect(statusOf(view)).toBeNull();
    expect(statusOf({ ...view, loading: true, error })).toBe('loading');
    expect(statusOf({ ...view, error, next: 'c' })).toBe('error');
    expect(statusOf({ ...view, children: ['e://org/a'], next: 'c', listed: true })).toBe('more');
    expect(statusOf({ ...view, listed: true })).toBe('empty');
    expect(statusOf({ ...view, children: ['e://org/a'], listed: true })).toBeNull();
  });

  it('marks GLACIER and DEEP_ARCHIVE objects as archived, not GLACIER_IR', () => {
    expect(isArchived({ storageClass: 'GLACIER' })).toBe(true);
    expect(isArchived({ storageClass: 'DEEP_ARCHIVE' })).toBe(true);
    expect(isArchived({ storageClass: 'GLACIER_IR' })).toBe(false);
    expect(isArchived({ storageClass: 'STANDARD' })).toBe(false);
    expect(isArchived({ storageClass: null })).toBe(false);
  });

  it('sorts folders first, names numerically, sizes and dates either way with unknowns last', () => {
    const collator = new Intl.Collator(undefined, { numeric: true });
    const obj = (name: string, size: number | null, modified: string | null) => ({
      ...makeNode({ uri: `e://org/${name}`, name, kind: 'object', access: 'read' }, name, 'e://org/', 2),
      size,
      modified
    });
    const dir = (name: string) =>
      makeNode({ uri: `e://org/${name}/`, name, kind: 'folder', access: 'read' }, name, 'e://org/', 2);
    const nodes = [
      obj('file10', 5, '2024-01-03T00:00:00Z'),
      dir('b'),
      obj('file2', 50, null),
      dir('a10'),
      dir('a9'),
      obj('file1', null, '2024-01-01T00:00:00Z')
    ];
    const order = (key: 'name' | 'size' | 'modified', direction: 'ascending' | 'descending') =>
      [...nodes].sort(makeComparer(key, direction, collator)).map(node => node.name);
    expect(order('name', 'ascending')).toEqual(['a9', 'a10', 'b', 'file1', 'file2', 'file10']);
    expect(order('name', 'descending')).toEqual(['b', 'a10', 'a9', 'file10', 'file2', 'file1']);
    expect(order('size', 'ascending')).toEqual(['a9', 'a10', 'b', 'file10', 'file2', 'file1']);
    expect(order('size', 'descending')).toEqual(['a9', 'a10', 'b', 'file2', 'file10', 'file1']);
    expect(order('modified', 'descending')).toEqual(['a9', 'a10', 'b', 'file10', 'file1', 'file2']);
  });

  it('puts the read-only badge where read-only starts', () => {
    const readOnlyRoot = { ...root, access: 'read' as const };
    const child = { ...root, level: 2, parent: 'e://org/', access: 'read' as const };
    expect(startsReadOnly(readOnlyRoot, undefined)).toBe(true);
    expect(startsReadOnly(root, undefined)).toBe(false);
    expect(startsReadOnly(child, root)).toBe(true);
    expect(startsReadOnly(child, readOnlyRoot)).toBe(false);
  });

  it('has a translated headline for each error code', () => {
    expect(errorTitle('AccessDenied', trans)).toBe('Access denied');
    expect(errorTitle('Upstream', trans)).toBe('EOS service unavailable');
    expect(errorTitle('Conflict', trans)).toBe('EOS error');
  });
});

describe('iconFor', () => {
  it('gives genomics formats their icons, compressed or not, and stock icons to common types', () => {
    expect(iconFor('folder', 'reads.fastq')).toBe(folderIcon);
    expect(iconFor('object', 'sample1_R1.fastq.gz')).toBe(fastqIcon);
    expect(iconFor('object', 'S1.FQ')).toBe(fastqIcon);
    expect(iconFor('object', 'S1.bam')).toBe(bamIcon);
    expect(iconFor('object', 'calls.vcf.bgz')).toBe(vcfIcon);
    expect(iconFor('object', 'manifest.csv')).toBe(spreadsheetIcon);
    expect(iconFor('object', 'analysis.ipynb')).toBe(notebookIcon);
    expect(iconFor('object', 'archive.gz')).toBe(fileIcon);
    expect(iconFor('object', 'README')).toBe(fileIcon);
  });
});

describe('displayName', () => {
  it('shows control characters as visible pictures, so a row stays one line', () => {
    expect(displayName('lf\nx.txt')).toBe('lf\u240ax.txt');
    expect(displayName('cr\rx.txt')).toBe('cr\u240dx.txt');
    expect(displayName('tab\tx\x01\x7f')).toBe('tab\u2409x\u2401\u2421');
  });

  it('leaves every other name as it is', () => {
    for (const name of ['  leading spaces.txt', 'emoji-\u{1F9EC}.txt', 'NFD-cafe\u0301.txt', '100% done.txt']) {
      expect(displayName(name)).toBe(name);
    }
  });
});

describe('mergeSorted', () => {
  const numbers = (a: number, b: number) => a - b;

  it('gives what a full sort gives, for random pages', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let merged: number[] = [];
    const all: number[] = [];
    for (let page = 0; page < 20; page++) {
      const extra = Array.from({ length: Math.floor(random() * 50) }, () => Math.floor(random() * 1000)).sort(numbers);
      all.push(...extra);
      merged = mergeSorted(merged, extra, numbers);
      expect(merged).toEqual([...all].sort(numbers));
    }
  });

  it('appends a page that sorts after everything, and keeps earlier equal items first', () => {
    expect(mergeSorted([1, 2, 3], [4, 5], numbers)).toEqual([1, 2, 3, 4, 5]);
    expect(mergeSorted([3, 4], [1, 2], numbers)).toEqual([1, 2, 3, 4]);
    const byKey = (a: { k: number }, b: { k: number }) => a.k - b.k;
    const old = { k: 1, from: 'base' };
    const late = { k: 1, from: 'extra' };
    expect(mergeSorted([old], [late], byKey)).toEqual([old, late]);
    expect(mergeSorted([], [1], numbers)).toEqual([1]);
  });
});
