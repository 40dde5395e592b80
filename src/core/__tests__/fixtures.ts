/**
 * Shared ids and helpers for the core tests (the demo ids of devtools/seed.py).
 */
import { EosError, ErrorCode } from '../errors';
import { EosContext, makeContext, parseLocation } from '../mapping';
import { EosPath, formatEosUri } from '../uri';

export const USER_ID = 'd3fcaf74-2152-4ed5-9834-9ecb1db4dd6c';
export const OTHER_ID = '5f0c2e9a-7b41-4d83-a6c2-1e9f8d3b7a05';
export const ORG_ID = 'c4b6da6d-8e1f-4c7a-9b2d-5a0e3f6c1d27';
export const ORG_BUCKET = 'gencove-explorer-c4b6da6d8e1f';
export const GENCOVE_BUCKET = 'gencove-explorer-data';

export const ctx: EosContext = makeContext({ userId: USER_ID, orgId: ORG_ID });

export const ROOT: EosPath = { namespace: null, user: null, key: '' };
export const USERS: EosPath = { namespace: 'users', user: null, key: '' };
export const mine = (key: string): EosPath => ({ namespace: 'users', user: 'me', key });
export const user = (id: string, key: string): EosPath => ({ namespace: 'users', user: id, key });
export const org = (key: string): EosPath => ({ namespace: 'org', user: null, key });
export const gencove = (key: string): EosPath => ({ namespace: 'gencove', user: null, key });

/** Run `fn` and return the EosError it throws (failing the test if it does not). */
export function thrown(fn: () => unknown): EosError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EosError);
    return e as EosError;
  }
  throw new Error('expected an EosError, nothing was thrown');
}

/** Expect `fn` to throw an EosError with `code` and exactly `message`. */
export function expectError(fn: () => unknown, code: ErrorCode, message: string | RegExp): void {
  const error = thrown(fn);
  expect(error.code).toBe(code);
  if (typeof message === 'string') {
    expect(error.message).toBe(message);
  } else {
    expect(error.message).toMatch(message);
  }
}

/** Helpers of the mapping and URI specs. */
/** Parse then format: the canonical `e://` form of any accepted URI text. */
export function normalizeUri(text: string, ctx: EosContext): string {
  return formatEosUri(parseLocation(text, ctx));
}

export const UPPER_USER = USER_ID.toUpperCase();
export const UPPER_OTHER = OTHER_ID.toUpperCase();
export const MY_PREFIX = `users/${USER_ID}/files/`;
export const OTHER_PREFIX = `users/${OTHER_ID}/files/`;

export const outside = (uri: string, c = ctx) =>
  `${uri} is outside EOS: expected s3://${c.orgBucket}/users/<id>/files/..., ` +
  `s3://${c.orgBucket}/shared/files/... or s3://${c.gencoveBucket}/files/...`;
export const tooLong = (bytes: number) => `The S3 key would be ${bytes} bytes long; S3 allows at most 1024`;
export const NS_LIST = 'Valid namespaces are: users, org, gencove';

/**
 * Keys that S3 accepts and EOS must keep verbatim (no decoding, trimming,
 * normalisation or segment folding).
 */
export const ODD_KEYS: [string, string][] = [
  ['space', 'with space.txt'],
  ['leading spaces', '  leading spaces.txt'],
  ['trailing space', 'trailing space.txt '],
  ['only spaces', '   '],
  ['trailing newline', 'line\n'],
  ['tab', 'a\tb'],
  ['NFC é', 'caf\u00e9.txt'],
  ['NFD é', 'cafe\u0301.txt'],
  ['CJK', '\u65e5\u672c/\u8a9e.txt'],
  ['emoji', 'emoji-\u{1f9ec}.txt'],
  ['percent', '100% done.txt'],
  ['%20 literal', 'percent%20literal.txt'],
  ['%2F literal', 'a%2Fb'],
  ['hash', 'hash#tag.txt'],
  ['question mark', 'question?mark.txt'],
  ['query-like', 'a?x=1&y=2#frag'],
  ['plus', 'plus+sign.txt'],
  ['ampersand and equals', 'amp&ersand=eq.txt'],
  ['double quote', 'quote"double.txt'],
  ['apostrophe', "apostrophe's.txt"],
  ['angle brackets', '<angle>.txt'],
  ['backslash', 'back\\slash.txt'],
  ['colon', 'c:/x'],
  ['scheme-like', 'e://org/x'],
  ['empty segment', 'double//slash.txt'],
  ['leading slash', '/abs.txt'],
  ['only slashes', '//'],
  ['folder', 'folder marker/'],
  ['folder with trailing slashes', 'a//'],
  ['dot segment', './x'],
  ['dot-dot segment', 'a/../b'],
  ['dot-dot only', '..'],
  ['trailing dot', 'trailing-dot.'],
  ['long ASCII', 'a'.repeat(200) + '.txt']
];
