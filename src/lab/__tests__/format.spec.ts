import { nullTranslator } from '@jupyterlab/translation';

import { EosError } from '../../core';
import { formatSize, itemTooltip } from '../components/format';
import { errorTitle } from '../errors';
import { makeNode, startsReadOnly, statusOf } from '../tree';

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

describe('itemTooltip', () => {
  it('gives the URI, then size, date and storage class of an object, and says read-only', () => {
    const node = makeNode(
      { uri: 'e://gencove/ref.fa', name: 'ref.fa', kind: 'object', access: 'read', size: 3_000_000, modified: '2024-01-02T03:04:05Z', storageClass: 'GLACIER' },
      'ref.fa',
      'e://gencove/',
      2
    );
    const lines = itemTooltip(node, trans).split('\n');
    expect(lines[0]).toBe('e://gencove/ref.fa');
    expect(lines[1]).toBe('Size: 3.0 MB');
    expect(lines[2]).toMatch(/^Modified: .*2024/);
    expect(lines.slice(3)).toEqual(['Storage class: GLACIER', 'Read-only']);
  });

  it('gives only the URI of a writable folder', () => {
    const node = makeNode({ uri: 'e://org/a/', name: 'a', kind: 'folder', access: 'readwrite' }, 'a', 'e://org/', 2);
    expect(itemTooltip(node, trans)).toBe('e://org/a/');
  });
});

describe('tree helpers', () => {
  const root = makeNode({ uri: 'e://org/', name: 'org', kind: 'folder', access: 'readwrite' }, 'Organization', null, 1);

  it('names the status a folder shows after its children', () => {
    expect(statusOf(root)).toBeNull();
    expect(statusOf({ ...root, loading: true, error: new EosError('Internal', 'x') })).toBe('loading');
    expect(statusOf({ ...root, error: new EosError('Internal', 'x'), next: 'c' })).toBe('error');
    expect(statusOf({ ...root, children: ['e://org/a'], next: 'c' })).toBe('more');
    expect(statusOf({ ...root, children: [] })).toBe('empty');
    expect(statusOf({ ...root, children: ['e://org/a'] })).toBeNull();
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
