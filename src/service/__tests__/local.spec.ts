/**
 * Local paths confined to the Jupyter root, key parts as local names, and
 * "keep both" names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentTypeOf } from '../engine/transfer/contenttypes';
import { keySegments, numberedName, resolveLocal } from '../engine/local/confine';
import { TreeWalk } from '../engine/local/diskwalk';
import { walkLocal } from '../engine/local/walk';
import { tempRoot } from './transfer-helpers';

let root: string;
let outside: string;

beforeAll(() => {
  root = tempRoot();
  outside = tempRoot();
  fs.mkdirSync(path.join(root, 'data', 'sub'), { recursive: true });
  fs.symlinkSync(outside, path.join(root, 'out'));
  fs.symlinkSync(path.join(root, 'data'), path.join(root, 'in'));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('resolveLocal', () => {
  it.each([
    ['', ''],
    ['data', 'data'],
    ['data/sub/', 'data/sub'],
    ['./data//sub', 'data/sub'],
    ['data/new/file.txt', 'data/new/file.txt'],
    ['in/sub', 'in/sub']
  ])('resolves %j inside the root', async (rel, expected) => {
    expect(await resolveLocal(root, rel)).toBe(path.join(root, expected));
  });

  it.each([['..'], ['data/../..'], ['data/../x'], ['/etc'], ['a\0b'], ['out'], ['out/new/file.txt']])(
    'refuses %j with OutsideRoot',
    async rel => {
      await expect(resolveLocal(root, rel)).rejects.toMatchObject({ code: 'OutsideRoot' });
    }
  );
});

describe('keySegments', () => {
  it('splits a key part into local names; a trailing slash is a folder', () => {
    expect(keySegments('a/b c/d#?%.txt')).toEqual({ segments: ['a', 'b c', 'd#?%.txt'], folder: false });
    expect(keySegments('a/b/')).toEqual({ segments: ['a', 'b'], folder: true });
  });

  it.each([['../x'], ['a/../b'], ['a//b'], ['./a'], ['a/.'], [''], ['/a'], ['a\0b']])('refuses %j', rel => {
    expect(() => keySegments(rel)).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
  });
});

describe('names and sizes', () => {
  it('numbers "keep both" names before the extension, keeping compressed extensions whole', () => {
    expect(numberedName('a.txt', 1)).toBe('a (1).txt');
    expect(numberedName('calls.vcf.gz', 2)).toBe('calls (2).vcf.gz');
    expect(numberedName('README', 1)).toBe('README (1)');
    expect(numberedName('.hidden', 1)).toBe('.hidden (1)');
  });

  it('gives genomics files their content types', () => {
    expect(contentTypeOf('x.bam')).toBe('application/octet-stream');
    expect(contentTypeOf('x.VCF')).toBe('text/plain');
    expect(contentTypeOf('x.fastq')).toBe('text/plain');
    expect(contentTypeOf('x.vcf.gz')).toBe('application/gzip');
    expect(contentTypeOf('noext')).toBe('application/octet-stream');
  });
});

// Node reads a name that is not UTF-8 with U+FFFD for its bad bytes; opening that fails with ENOENT,
// which was reported as "does not exist on the server's disk" (walks) or not at all (the disk walk).
describe('local names that are not UTF-8', () => {
  const shown = 'caf\uFFFD.txt';
  beforeAll(() => {
    fs.mkdirSync(path.join(root, 'latin1'));
    fs.writeFileSync(
      Buffer.concat([Buffer.from(path.join(root, 'latin1', 'caf')), Buffer.from([0xe9, 0x2e, 0x74, 0x78, 0x74])]),
      'x'
    );
    fs.writeFileSync(path.join(root, 'latin1', 'ok.txt'), 'ok');
  });

  it('are named as names that cannot be represented, with their folder, by the walk of uploads and syncs', async () => {
    const entries = [];
    for await (const e of walkLocal(root, path.join(root, 'latin1'), '')) {
      entries.push(e.kind === 'error' ? { rel: e.rel, code: e.error.code, message: e.error.message } : e.rel);
    }
    expect(entries.filter(e => typeof e === 'string')).toEqual(['ok.txt']);
    expect(entries.filter(e => typeof e !== 'string')).toEqual([
      {
        rel: shown,
        code: 'InvalidRequest',
        message: `A name in the folder "latin1" of the server's disk is not valid UTF-8 ("${shown}"): it cannot be represented; rename it`
      }
    ]);
  });

  it('are reported by the disk walk, not left out', async () => {
    const result = await new TreeWalk(path.join(root, 'latin1')).run();
    expect(result.unreadable).toEqual([{ path: shown, error: 'name not valid UTF-8' }]);
    expect(result.items.map(i => i.path)).toEqual(['ok.txt']);
  });
});
