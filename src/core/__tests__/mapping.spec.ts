import {
  GENCOVE_BUCKET as GENCOVE_BUCKET_CONST,
  GENCOVE_PREFIX,
  MAX_KEY_BYTES,
  ORG_PREFIX,
  USERS_PREFIX,
  USER_FILES,
  fromS3,
  makeContext,
  orgBucketName,
  parseLocation,
  s3Uri,
  toS3,
  userPrefix
} from '../mapping';
import { EosPath, formatEosUri, formatS3Uri, parseS3Uri } from '../uri';
import {
  ctx,
  expectError,
  gencove,
  GENCOVE_BUCKET,
  mine,
  MY_PREFIX,
  normalizeUri,
  ODD_KEYS,
  org,
  ORG_BUCKET,
  ORG_ID,
  OTHER_ID,
  OTHER_PREFIX,
  ROOT,
  tooLong,
  UPPER_OTHER,
  UPPER_USER,
  user,
  USER_ID,
  USERS
} from './fixtures';

describe('constants', () => {
  it('has the S3 layout of the Gencove CLI', () => {
    expect(MAX_KEY_BYTES).toBe(1024);
    expect(GENCOVE_BUCKET_CONST).toBe('gencove-explorer-data');
    expect(USERS_PREFIX).toBe('users/');
    expect(USER_FILES).toBe('files/');
    expect(ORG_PREFIX).toBe('shared/files/');
    expect(GENCOVE_PREFIX).toBe('files/');
    expect(userPrefix(OTHER_ID)).toBe(OTHER_PREFIX);
  });
});

describe('orgBucketName', () => {
  it.each([
    // The org id of the user docs' example (s3://gencove-explorer-c4b6da6d...).
    [ORG_ID, 'gencove-explorer-c4b6da6d8e1f'],
    ['c4b6da6d8e1f4c7a9b2d5a0e3f6c1d27', 'gencove-explorer-c4b6da6d8e1f'],
    ['0000-0000-0000-0000-0000-0000', 'gencove-explorer-000000000000'],
    ['12345678-90ab-cdef-1234-567890abcdef', 'gencove-explorer-1234567890ab'],
    ['abc', 'gencove-explorer-abc']
  ])('orgBucketName(%j) is %j', (orgId, bucket) => {
    expect(orgBucketName(orgId)).toBe(bucket);
  });

  it('takes 12 characters after removing the dashes', () => {
    const bucket = orgBucketName(ORG_ID);
    expect(bucket.slice('gencove-explorer-'.length)).toHaveLength(12);
    expect(parseS3Uri(`s3://${bucket}/x`).bucket).toBe(bucket);
  });
});

describe('makeContext', () => {
  it('derives the bucket names', () => {
    expect(ctx).toEqual({ userId: USER_ID, orgId: ORG_ID, orgBucket: ORG_BUCKET, gencoveBucket: GENCOVE_BUCKET });
  });

  it('lower-cases and trims the ids', () => {
    expect(makeContext({ userId: ` ${UPPER_USER}\n`, orgId: ORG_ID.toUpperCase() })).toEqual(ctx);
  });

  it.each([
    [{ orgBucket: 'demo-org' }, { orgBucket: 'demo-org', gencoveBucket: GENCOVE_BUCKET }],
    [{ gencoveBucket: 'demo-gencove' }, { orgBucket: ORG_BUCKET, gencoveBucket: 'demo-gencove' }],
    [
      { orgBucket: 'o-b', gencoveBucket: 'g-b' },
      { orgBucket: 'o-b', gencoveBucket: 'g-b' }
    ],
    [
      { orgBucket: '', gencoveBucket: '' },
      { orgBucket: ORG_BUCKET, gencoveBucket: GENCOVE_BUCKET }
    ],
    [{ orgBucket: undefined }, { orgBucket: ORG_BUCKET, gencoveBucket: GENCOVE_BUCKET }]
  ])('applies the bucket overrides %j', (overrides, buckets) => {
    expect(makeContext({ userId: USER_ID, orgId: ORG_ID, ...overrides })).toEqual({
      userId: USER_ID,
      orgId: ORG_ID,
      ...buckets
    });
  });

  it.each([
    [{ userId: '', orgId: ORG_ID }, 'The user id "" is not a UUID'],
    [{ userId: 'me', orgId: ORG_ID }, 'The user id "me" is not a UUID'],
    [{ userId: USER_ID.replace(/-/g, ''), orgId: ORG_ID }, `The user id "${USER_ID.replace(/-/g, '')}" is not a UUID`],
    [{ userId: USER_ID, orgId: '' }, 'The organization id "" is not a UUID'],
    [{ userId: USER_ID, orgId: 'c4b6da6d' }, 'The organization id "c4b6da6d" is not a UUID'],
    [{ userId: 'x', orgId: 'y' }, 'The user id "x" is not a UUID']
  ])('rejects %j', (options, message) => {
    expectError(() => makeContext(options), 'InvalidRequest', message);
  });

  it('rejects missing ids', () => {
    expectError(
      () => makeContext({ orgId: ORG_ID } as unknown as { userId: string; orgId: string }),
      'InvalidRequest',
      /^The user id .* is not a UUID$/
    );
    expectError(
      () => makeContext({ userId: USER_ID } as unknown as { userId: string; orgId: string }),
      'InvalidRequest',
      /^The organization id .* is not a UUID$/
    );
  });
});

/**
 * Every mapping row, both ways. `uri` is the canonical e:// form (own id as
 * `me`); `s3` the location. `alsoFrom` lists other e:// spellings of the same path.
 */
const ROWS: [string, EosPath, string, string[]][] = [
  ['e://users/', USERS, `s3://${ORG_BUCKET}/users/`, ['e://users']],
  [
    'e://users/me/',
    mine(''),
    `s3://${ORG_BUCKET}/${MY_PREFIX}`,
    ['e://users/me', `e://users/${USER_ID}/`, `e://users/${UPPER_USER}`]
  ],
  [
    'e://users/me/X',
    mine('X'),
    `s3://${ORG_BUCKET}/${MY_PREFIX}X`,
    [`e://users/${USER_ID}/X`, `e://users/${UPPER_USER}/X`]
  ],
  ['e://users/me/tmp/', mine('tmp/'), `s3://${ORG_BUCKET}/${MY_PREFIX}tmp/`, []],
  [
    'e://users/me/project-1/file.txt',
    mine('project-1/file.txt'),
    `s3://${ORG_BUCKET}/${MY_PREFIX}project-1/file.txt`,
    []
  ],
  [
    `e://users/${OTHER_ID}/`,
    user(OTHER_ID, ''),
    `s3://${ORG_BUCKET}/${OTHER_PREFIX}`,
    [`e://users/${OTHER_ID}`, `e://users/${UPPER_OTHER}/`]
  ],
  [
    `e://users/${OTHER_ID}/X`,
    user(OTHER_ID, 'X'),
    `s3://${ORG_BUCKET}/${OTHER_PREFIX}X`,
    [`e://users/${UPPER_OTHER}/X`]
  ],
  [`e://users/${OTHER_ID}/a/b/`, user(OTHER_ID, 'a/b/'), `s3://${ORG_BUCKET}/${OTHER_PREFIX}a/b/`, []],
  ['e://org/', org(''), `s3://${ORG_BUCKET}/shared/files/`, ['e://org']],
  ['e://org/X', org('X'), `s3://${ORG_BUCKET}/shared/files/X`, []],
  ['e://org/a/b/', org('a/b/'), `s3://${ORG_BUCKET}/shared/files/a/b/`, []],
  ['e://gencove/', gencove(''), `s3://${GENCOVE_BUCKET}/files/`, ['e://gencove']],
  ['e://gencove/X', gencove('X'), `s3://${GENCOVE_BUCKET}/files/X`, []],
  ['e://gencove/ref/hg38/', gencove('ref/hg38/'), `s3://${GENCOVE_BUCKET}/files/ref/hg38/`, []]
];

describe('the namespace mapping', () => {
  describe.each(ROWS)('%s <-> %s', (uri, path, s3, aliases) => {
    it('parses to the path', () => {
      expect(parseLocation(uri, ctx)).toEqual(path);
    });

    it('maps to S3 (toS3, s3Uri)', () => {
      expect(formatS3Uri(toS3(path, ctx))).toBe(s3);
      expect(s3Uri(path, ctx)).toBe(s3);
      expect(toS3(path, ctx)).toEqual(parseS3Uri(s3));
    });

    it('maps back from S3 (fromS3, parseLocation, normalizeUri)', () => {
      expect(fromS3(parseS3Uri(s3), ctx)).toEqual(path);
      expect(parseLocation(s3, ctx)).toEqual(path);
      expect(normalizeUri(s3, ctx)).toBe(uri);
    });

    it('round-trips', () => {
      expect(formatEosUri(parseLocation(uri, ctx))).toBe(uri);
      expect(parseLocation(formatEosUri(path), ctx)).toEqual(path);
      expect(fromS3(toS3(path, ctx), ctx)).toEqual(path);
      expect(formatS3Uri(toS3(fromS3(parseS3Uri(s3), ctx), ctx))).toBe(s3);
      expect(normalizeUri(uri, ctx)).toBe(uri);
    });

    it.each(aliases.length ? aliases : ['(none)'])('accepts the other spelling %s', alias => {
      if (alias === '(none)') {
        return;
      }
      expect(parseLocation(alias, ctx)).toEqual(path);
      expect(normalizeUri(alias, ctx)).toBe(uri);
      expect(s3Uri(parseLocation(alias, ctx), ctx)).toBe(s3);
    });
  });

  it('maps the own id, written as an id, to the same S3 location as me', () => {
    expect(toS3(user(USER_ID, 'X'), ctx)).toEqual(toS3(mine('X'), ctx));
  });

  describe.each([
    ['e://users/me/', MY_PREFIX, ORG_BUCKET],
    [`e://users/${OTHER_ID}/`, OTHER_PREFIX, ORG_BUCKET],
    ['e://org/', 'shared/files/', ORG_BUCKET],
    ['e://gencove/', 'files/', GENCOVE_BUCKET]
  ])('keeps odd keys verbatim both ways under %s', (root, prefix, bucket) => {
    it.each(ODD_KEYS)('%s', (_what, key) => {
      const path = parseLocation(root + key, ctx);
      expect(path.key).toBe(key);
      const loc = toS3(path, ctx);
      expect(loc).toEqual({ bucket, key: prefix + key });
      expect(fromS3(loc, ctx)).toEqual(path);
      expect(parseLocation(formatS3Uri(loc), ctx)).toEqual(path);
      expect(normalizeUri(formatS3Uri(loc), ctx)).toBe(root + key);
    });
  });

  it('keeps NFC and NFD keys distinct in S3', () => {
    const nfc = toS3(org('caf\u00e9'), ctx).key;
    const nfd = toS3(org('cafe\u0301'), ctx).key;
    expect(nfc).toBe('shared/files/caf\u00e9');
    expect(nfd).toBe('shared/files/cafe\u0301');
    expect(nfc).not.toBe(nfd);
  });
});

describe('toS3 errors', () => {
  it('has no location for e://', () => {
    expectError(() => toS3(ROOT, ctx), 'InvalidUri', 'e:// lists the namespaces and has no S3 location');
    expectError(() => s3Uri(ROOT, ctx), 'InvalidUri', 'e:// lists the namespaces and has no S3 location');
  });

  // The whole S3 key counts, prefix included, in UTF-8 bytes (not characters).
  it.each<[string, EosPath, number]>([
    ['org, 1,011 ASCII bytes', org('a'.repeat(1011)), 1024],
    ['gencove, 1,018 ASCII bytes', gencove('a'.repeat(1018)), 1024],
    ['me, 975 ASCII bytes', mine('a'.repeat(975)), 1024],
    ['other user, 975 ASCII bytes', user(OTHER_ID, 'a'.repeat(975)), 1024],
    ['org, 337 × 日 (1,011 bytes)', org('\u65e5'.repeat(337)), 1024],
    ['gencove, 1,016 bytes + 2-byte é', gencove('a'.repeat(1016) + '\u00e9'), 1024],
    ['me, 243 emoji + 3 bytes', mine('\u{1f9ec}'.repeat(243) + 'abc'), 1024]
  ])('accepts a key of exactly 1,024 bytes: %s', (_what, path, bytes) => {
    const loc = toS3(path, ctx);
    expect(new TextEncoder().encode(loc.key).length).toBe(bytes);
    expect(fromS3(loc, ctx)).toEqual(path);
    expect(parseLocation(formatS3Uri(loc), ctx)).toEqual(path);
  });

  it.each<[string, EosPath, number]>([
    ['org, 1,012 ASCII bytes', org('a'.repeat(1012)), 1025],
    ['gencove, 1,019 ASCII bytes', gencove('a'.repeat(1019)), 1025],
    ['me, 976 ASCII bytes', mine('a'.repeat(976)), 1025],
    ['other user, 976 ASCII bytes', user(OTHER_ID, 'a'.repeat(976)), 1025],
    ['org, 342 × 日 (342 characters, 1,026 bytes)', org('\u65e5'.repeat(342)), 1039],
    ['org, 338 × 日', org('\u65e5'.repeat(338)), 1027],
    ['gencove, 1,017 bytes + 2-byte é', gencove('a'.repeat(1017) + '\u00e9'), 1025],
    ['me, 244 emoji', mine('\u{1f9ec}'.repeat(244)), 1025]
  ])('rejects a key over 1,024 bytes: %s', (_what, path, bytes) => {
    expectError(() => toS3(path, ctx), 'InvalidUri', tooLong(bytes));
    expectError(() => s3Uri(path, ctx), 'InvalidUri', tooLong(bytes));
  });

  it('counts bytes, not characters: 342 characters of 日 are too long even under a short prefix', () => {
    const path = org('\u65e5'.repeat(342));
    expect(path.key.length).toBeLessThan(1024);
    expectError(() => toS3(path, ctx), 'InvalidUri', tooLong(13 + 1026));
  });
});
