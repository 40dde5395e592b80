import { Access, accessOf, assertWritable, canWrite } from '../access';
import { makeContext, parseLocation } from '../mapping';
import { EosPath } from '../uri';
import { ORG_ID, OTHER_ID, ROOT, USERS, USER_ID, ctx, expectError, gencove, mine, org, user } from './fixtures';

const OTHER_USER_MSG = (id: string, uri: string) =>
  `Cannot write to ${uri}: e://users/${id}/ belongs to another user and is read-only for you; ` +
  'write to e://users/me/ or e://org/';
const GENCOVE_MSG = (uri: string) => `Cannot write to ${uri}: e://gencove/ is read-only`;
const OUTSIDE_MSG = (uri: string) => `Cannot write to ${uri}: only files inside a namespace can be written`;

/** [what, path, access, writable, ReadOnly message or null] */
const TABLE: [string, EosPath, Access, string | null][] = [
  ['e://', ROOT, 'read', OUTSIDE_MSG('e://')],
  ['the users listing', USERS, 'read', OUTSIDE_MSG('e://users/')],
  ['my root', mine(''), 'readwrite', null],
  ['my file', mine('a/b.txt'), 'readwrite', null],
  ['my folder', mine('a/'), 'readwrite', null],
  ['my tmp folder', mine('tmp/'), 'readwrite', null],
  ['my root by id', user(USER_ID, ''), 'readwrite', null],
  ['my file by id', user(USER_ID, 'x'), 'readwrite', null],
  ['another user root', user(OTHER_ID, ''), 'read', OTHER_USER_MSG(OTHER_ID, `e://users/${OTHER_ID}/`)],
  ['another user file', user(OTHER_ID, 'x/y'), 'read', OTHER_USER_MSG(OTHER_ID, `e://users/${OTHER_ID}/x/y`)],
  ['the org root', org(''), 'readwrite', null],
  ['an org file', org('x'), 'readwrite', null],
  ['an org folder', org('a b/'), 'readwrite', null],
  ['the gencove root', gencove(''), 'read', GENCOVE_MSG('e://gencove/')],
  ['a gencove file', gencove('ref/hg38.fa'), 'read', GENCOVE_MSG('e://gencove/ref/hg38.fa')],
  ['a gencove folder', gencove('ref/'), 'read', GENCOVE_MSG('e://gencove/ref/')]
];

describe.each(TABLE)('%s', (_what, path, access, message) => {
  it(`has ${access} access`, () => {
    expect(accessOf(path, ctx)).toBe(access);
  });

  it(message ? 'is read-only' : 'is writable', () => {
    expect(canWrite(path, ctx)).toBe(message === null);
    if (message === null) {
      expect(() => assertWritable(path, ctx)).not.toThrow();
    } else {
      expectError(() => assertWritable(path, ctx), 'ReadOnly', message);
    }
  });
});

describe('access depends on who asks', () => {
  const colleague = makeContext({ userId: OTHER_ID, orgId: ORG_ID });

  it.each<[string, Access, Access]>([
    ['e://users/me/x', 'readwrite', 'readwrite'],
    [`e://users/${USER_ID}/x`, 'readwrite', 'read'],
    [`e://users/${OTHER_ID}/x`, 'read', 'readwrite'],
    [`e://users/${OTHER_ID.toUpperCase()}/x`, 'read', 'readwrite'],
    ['e://org/x', 'readwrite', 'readwrite'],
    ['e://gencove/x', 'read', 'read']
  ])('%s: %s for me, %s for a colleague', (uri, mineAccess, theirs) => {
    expect(accessOf(parseLocation(uri, ctx), ctx)).toBe(mineAccess);
    expect(accessOf(parseLocation(uri, colleague), colleague)).toBe(theirs);
    expect(canWrite(parseLocation(uri, ctx), ctx)).toBe(mineAccess === 'readwrite');
    expect(canWrite(parseLocation(uri, colleague), colleague)).toBe(theirs === 'readwrite');
  });

  it('a shareable URI of mine is read-only for a colleague, with the reason', () => {
    const path = parseLocation(`e://users/${USER_ID}/report.pdf`, colleague);
    expectError(
      () => assertWritable(path, colleague),
      'ReadOnly',
      OTHER_USER_MSG(USER_ID, `e://users/${USER_ID}/report.pdf`)
    );
  });

  it('ReadOnly errors answer 403', () => {
    try {
      assertWritable(gencove('x'), ctx);
    } catch (e) {
      expect((e as { status: number }).status).toBe(403);
      return;
    }
    throw new Error('not thrown');
  });
});
