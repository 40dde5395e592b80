import { EosPath, basename, child, formatEosUri, isFolder, parent, parseEosUri } from '../uri';
import {
  expectError,
  gencove,
  mine,
  NS_LIST,
  ODD_KEYS,
  org,
  OTHER_ID,
  ROOT,
  UPPER_OTHER,
  user,
  USERS
} from './fixtures';

describe('isFolder', () => {
  it.each<[string, EosPath, boolean]>([
    ['e://', ROOT, true],
    ['e://users/', USERS, true],
    ['e://users/me/', mine(''), true],
    ['a user root', user(OTHER_ID, ''), true],
    ['e://org/', org(''), true],
    ['e://gencove/', gencove(''), true],
    ['a folder', org('a/'), true],
    ['a nested folder', mine('a/b/'), true],
    ['an empty-named folder', org('a//'), true],
    ['the folder "/"', org('/'), true],
    ['an object', org('a'), false],
    ['a nested object', gencove('a/b'), false],
    ['an object with a leading slash', org('/a'), false],
    ['an object named with a space', org('a/ '), false],
    ['an object named ..', org('..'), false]
  ])('%s: %j is %s', (_what, path, expected) => {
    expect(isFolder(path)).toBe(expected);
  });
});

describe('basename', () => {
  it.each<[EosPath, string]>([
    [ROOT, ''],
    [USERS, 'users'],
    [mine(''), 'me'],
    [user(OTHER_ID, ''), OTHER_ID],
    [org(''), 'org'],
    [gencove(''), 'gencove'],
    [org('a'), 'a'],
    [org('a/'), 'a'],
    [org('a/b'), 'b'],
    [org('a/b/'), 'b'],
    [mine('x/y/z.txt'), 'z.txt'],
    [org('a//'), ''],
    [org('a//b'), 'b'],
    [org('/'), ''],
    [org('/a'), 'a'],
    [org(' '), ' '],
    [org('a/ b /'), ' b '],
    [org('a/..'), '..'],
    [org('a/./'), '.'],
    [org('q?x#y'), 'q?x#y'],
    [gencove('\u65e5\u672c/\u{1f9ec}'), '\u{1f9ec}']
  ])('basename(%j) is %j', (path, name) => {
    expect(basename(path)).toBe(name);
  });
});

describe('parent', () => {
  it.each<[EosPath, EosPath | null]>([
    [ROOT, null],
    [USERS, ROOT],
    [org(''), ROOT],
    [gencove(''), ROOT],
    [mine(''), USERS],
    [user(OTHER_ID, ''), USERS],
    [mine('a'), mine('')],
    [mine('a/'), mine('')],
    [mine('a/b'), mine('a/')],
    [mine('a/b/'), mine('a/')],
    [user(OTHER_ID, 'a/b/c'), user(OTHER_ID, 'a/b/')],
    [org('a/b c/d'), org('a/b c/')],
    [gencove('x/y/'), gencove('x/')],
    [org('a//'), org('a/')],
    [org('a//b'), org('a//')],
    [org('/'), org('')],
    [org('/a'), org('/')],
    [org('//'), org('/')],
    [org('a/../b'), org('a/../')],
    [org('a/..'), org('a/')]
  ])('parent(%j) is %j', (path, expected) => {
    expect(parent(path)).toEqual(expected);
  });

  it('reaches e:// from any path, one folder at a time', () => {
    let path: EosPath | null = mine('a//b/c.txt');
    const seen: string[] = [];
    while (path) {
      seen.push(formatEosUri(path));
      expect(isFolder(path) || seen.length === 1).toBe(true);
      path = parent(path);
    }
    expect(seen).toEqual([
      'e://users/me/a//b/c.txt',
      'e://users/me/a//b/',
      'e://users/me/a//',
      'e://users/me/a/',
      'e://users/me/',
      'e://users/',
      'e://'
    ]);
  });
});

describe('child', () => {
  it.each<[EosPath, string, 'folder' | 'object', EosPath]>([
    [ROOT, 'users', 'folder', USERS],
    [ROOT, 'org', 'folder', org('')],
    [ROOT, 'gencove', 'object', gencove('')],
    [USERS, 'me', 'folder', mine('')],
    [USERS, OTHER_ID, 'folder', user(OTHER_ID, '')],
    [USERS, UPPER_OTHER, 'object', user(OTHER_ID, '')],
    [mine(''), 'a', 'object', mine('a')],
    [mine(''), 'a', 'folder', mine('a/')],
    [mine('a/'), 'b.txt', 'object', mine('a/b.txt')],
    [user(OTHER_ID, 'x/'), 'y', 'folder', user(OTHER_ID, 'x/y/')],
    [org(''), 'with space.txt', 'object', org('with space.txt')],
    [org('a/'), '', 'folder', org('a//')],
    [org(''), '', 'folder', org('/')],
    [org('a//'), 'b', 'object', org('a//b')],
    [gencove('d/'), '..', 'folder', gencove('d/../')],
    [gencove('d/'), '.', 'object', gencove('d/.')],
    [org(''), 'q?x=1&y=2#z%20', 'object', org('q?x=1&y=2#z%20')],
    [org(''), 'cafe\u0301', 'object', org('cafe\u0301')],
    [org(''), '\u{1f9ec}', 'folder', org('\u{1f9ec}/')],
    [org(''), '  ', 'object', org('  ')]
  ])('child(%j, %j, %s) is %j', (folder, name, kind, expected) => {
    expect(child(folder, name, kind)).toEqual(expected);
  });

  it('is the inverse of parent and basename', () => {
    for (const [, name] of ODD_KEYS.filter(([, key]) => !key.includes('/'))) {
      for (const kind of ['folder', 'object'] as const) {
        const c = child(mine('dir/'), name, kind);
        expect(parent(c)).toEqual(mine('dir/'));
        expect(basename(c)).toBe(name);
        expect(isFolder(c)).toBe(kind === 'folder');
        expect(parseEosUri(formatEosUri(c))).toEqual(c);
      }
    }
  });

  it.each<[EosPath, string, 'folder' | 'object', string]>([
    [org('a'), 'b', 'object', 'e://org/a is not a folder'],
    [mine('a/b.txt'), 'c', 'folder', 'e://users/me/a/b.txt is not a folder'],
    [org(''), 'a/b', 'object', 'A name may not contain \'/\': "a/b"'],
    [org(''), '/', 'folder', 'A name may not contain \'/\': "/"'],
    [org('x/'), 'a/', 'folder', 'A name may not contain \'/\': "a/"'],
    [ROOT, 'x', 'folder', `Invalid namespace 'x'. ${NS_LIST}`],
    [ROOT, 'Org', 'folder', `Invalid namespace 'Org'. ${NS_LIST}`],
    [ROOT, '', 'folder', `Invalid namespace ''. ${NS_LIST}`],
    [USERS, '', 'folder', "A user id (or 'me') must be specified"],
    [USERS, 'bob', 'folder', "User id 'bob' is not a valid UUID (or 'me')"],
    [org('a/'), '', 'object', 'An object name may not be empty'],
    [org(''), 'a\u0000', 'object', 'The name contains a NUL character'],
    [org(''), '\ud800', 'object', 'The name contains an unpaired surrogate and cannot be encoded']
  ])('child(%j, %j, %s) throws %j', (folder, name, kind, message) => {
    expectError(() => child(folder, name, kind), 'InvalidUri', message);
  });
});
