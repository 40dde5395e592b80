/**
 * Local paths confined to the Jupyter root, key parts as local names, and
 * "keep both" names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentTypeOf } from '../engine/transfer/contenttypes';
import { keySegments, numberedName, resolveLocal } from '../engine/local/confine';
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
