/**
 * Drive paths of JupyterLab's document manager <-> e:// URIs: one to one,
 * odd keys included, and unchanged by JupyterLab's path normalization.
 */
import { DRIVE_NAME, drivePathOf, uriOfDrivePath } from '../drive';
import { EosError } from '../errors';

/** What JupyterLab's `PathExt.normalize` does to a drive path (posix normalize, leading slash removed). */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

const OBJECTS: [string, string][] = [
  ['e://org/cohort-2026/samples.tsv', 'org/cohort-2026/samples.tsv'],
  ['e://users/me/a b/ü #1?.ipynb', 'users/me/a b/ü #1?.ipynb'],
  ['e://gencove/x:y/z', 'gencove/x:y/z'],
  ['e://org/100%/a%2Fb', 'org/100%25/a%252Fb'],
  ['e://org/a//b', 'org/a/%/b'],
  ['e://org//lead', 'org/%/lead'],
  ['e://org/./x/../y', 'org/%2E/x/%2E%2E/y'],
  ['e://org/...', 'org/...'],
  ['e://org/line\nbreak', 'org/line\nbreak'],
  ['e://users/0b7e0a3c-4f5d-4e6a-8b9c-1d2e3f405162/f.txt', 'users/0b7e0a3c-4f5d-4e6a-8b9c-1d2e3f405162/f.txt']
];

describe('drive paths', () => {
  it('is named EOS', () => {
    expect(DRIVE_NAME).toBe('EOS');
  });

  it.each(OBJECTS)('maps %j to %j and back, surviving normalization', (uri, path) => {
    expect(drivePathOf(uri)).toBe(path);
    expect(normalize(path)).toBe(path);
    expect(uriOfDrivePath(path)).toBe(uri);
  });

  it('maps folders without their trailing slash', () => {
    expect(drivePathOf('e://')).toBe('');
    expect(drivePathOf('e://org/')).toBe('org');
    expect(drivePathOf('e://org/a//')).toBe('org/a/%');
    expect(uriOfDrivePath('org/a/%', true)).toBe('e://org/a//');
    expect(uriOfDrivePath('', true)).toBe('e://');
    expect(uriOfDrivePath('/org/x')).toBe('e://org/x');
  });

  it.each(['org/a//b', 'org/./b', 'org/../b', 'org/50%', 'org/%41', 'org/a/'])(
    'refuses %j, which it never writes',
    path => {
      expect(() => uriOfDrivePath(path)).toThrow(EosError);
    }
  );

  it('refuses what is not an e:// URI', () => {
    expect(() => drivePathOf('s3://bucket/key')).toThrow('does not start with e://');
  });
});
