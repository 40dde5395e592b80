import { canonical, fromS3, makeContext, parseLocation, s3Uri, shareable, shareableUri, toS3 } from '../mapping';
import { EosPath, S3Location, formatEosUri, formatS3Uri, parseEosUri, parseS3Uri } from '../uri';
import {
  ctx,
  expectError,
  gencove,
  GENCOVE_BUCKET,
  mine,
  MY_PREFIX,
  normalizeUri,
  org,
  ORG_BUCKET,
  ORG_ID,
  OTHER_ID,
  OTHER_PREFIX,
  outside,
  ROOT,
  tooLong,
  UPPER_OTHER,
  UPPER_USER,
  user,
  USER_ID,
  USERS
} from './fixtures';

describe('fromS3 / parseLocation for locations outside EOS', () => {
  it.each([
    `s3://${ORG_BUCKET}`,
    `s3://${ORG_BUCKET}/`,
    `s3://${ORG_BUCKET}/x`,
    `s3://${ORG_BUCKET}/users`,
    `s3://${ORG_BUCKET}/users/${USER_ID}`,
    `s3://${ORG_BUCKET}/users/${USER_ID}/`,
    `s3://${ORG_BUCKET}/users/${USER_ID}/scratch/x`,
    `s3://${ORG_BUCKET}/users/${USER_ID}/filesx/y`,
    `s3://${ORG_BUCKET}/users/${USER_ID}/Files/y`,
    `s3://${ORG_BUCKET}/users/${OTHER_ID}/scratch/`,
    `s3://${ORG_BUCKET}/users/me/files/x`,
    `s3://${ORG_BUCKET}/users/bob/files/x`,
    `s3://${ORG_BUCKET}/users//files/x`,
    `s3://${ORG_BUCKET}/users/${USER_ID.replace(/-/g, '')}/files/x`,
    // S3 keys are case-sensitive: an upper-case id is not the user's folder.
    `s3://${ORG_BUCKET}/users/${UPPER_USER}/files/x`,
    `s3://${ORG_BUCKET}/users/${UPPER_OTHER}/files/`,
    `s3://${ORG_BUCKET}/shared`,
    `s3://${ORG_BUCKET}/shared/`,
    `s3://${ORG_BUCKET}/shared/x`,
    `s3://${ORG_BUCKET}/shared/tmp/x`,
    `s3://${ORG_BUCKET}/Shared/files/x`,
    `s3://${ORG_BUCKET}//shared/files/x`,
    `s3://${ORG_BUCKET}/files/x`,
    `s3://${GENCOVE_BUCKET}`,
    `s3://${GENCOVE_BUCKET}/`,
    `s3://${GENCOVE_BUCKET}/x`,
    `s3://${GENCOVE_BUCKET}/shared/files/x`,
    `s3://${GENCOVE_BUCKET}/users/${USER_ID}/files/x`,
    's3://another-bucket/users/x',
    `s3://another-bucket/shared/files/x`,
    `s3://gencove-explorer-000000000000/shared/files/x`,
    `s3://${ORG_BUCKET}x/shared/files/x`
  ])('%s is outside EOS', uri => {
    expectError(() => fromS3(parseS3Uri(uri), ctx), 'InvalidUri', outside(formatS3Uri(parseS3Uri(uri))));
    expectError(() => parseLocation(uri, ctx), 'InvalidUri', outside(formatS3Uri(parseS3Uri(uri))));
  });

  it.each([
    [`s3://${ORG_BUCKET}/shared/files`, 'e://org/'],
    [`s3://${GENCOVE_BUCKET}/files`, 'e://gencove/'],
    [`s3://${ORG_BUCKET}/users/${USER_ID}/files`, 'e://users/me/'],
    [`s3://${ORG_BUCKET}/users/${OTHER_ID}/files`, `e://users/${OTHER_ID}/`]
  ])('%s (a root without its trailing slash) is %s', (uri, expected) => {
    expect(normalizeUri(uri, ctx)).toBe(expected);
  });

  it('rejects an S3 key over 1,024 bytes (342 × 日 = 1,026 bytes)', () => {
    const uri = `s3://${ORG_BUCKET}/shared/files/${'\u65e5'.repeat(342)}`;
    expectError(() => fromS3(parseS3Uri(uri), ctx), 'InvalidUri', tooLong(1039));
    expectError(() => parseLocation(uri, ctx), 'InvalidUri', tooLong(1039));
    expectError(() => normalizeUri(uri, ctx), 'InvalidUri', tooLong(1039));
  });

  it('names the overridden buckets in the message', () => {
    const c = makeContext({ userId: USER_ID, orgId: ORG_ID, orgBucket: 'demo-org', gencoveBucket: 'demo-data' });
    expectError(
      () => parseLocation(`s3://${ORG_BUCKET}/shared/files/x`, c),
      'InvalidUri',
      outside(`s3://${ORG_BUCKET}/shared/files/x`, c)
    );
  });
});

describe('bucket overrides', () => {
  const c = makeContext({ userId: USER_ID, orgId: ORG_ID, orgBucket: 'demo-org', gencoveBucket: 'demo-data' });

  it.each<[string, string]>([
    ['e://users/', 's3://demo-org/users/'],
    ['e://users/me/x', `s3://demo-org/${MY_PREFIX}x`],
    [`e://users/${OTHER_ID}/x`, `s3://demo-org/${OTHER_PREFIX}x`],
    ['e://org/x', 's3://demo-org/shared/files/x'],
    ['e://gencove/x', 's3://demo-data/files/x']
  ])('%s <-> %s', (uri, s3) => {
    expect(s3Uri(parseLocation(uri, c), c)).toBe(s3);
    expect(normalizeUri(s3, c)).toBe(uri);
  });

  it('works with one bucket for both (a single local test bucket)', () => {
    const one = makeContext({ userId: USER_ID, orgId: ORG_ID, orgBucket: 'one', gencoveBucket: 'one' });
    for (const uri of ['e://users/', 'e://users/me/x', `e://users/${OTHER_ID}/x`, 'e://org/x', 'e://gencove/x']) {
      expect(normalizeUri(s3Uri(parseLocation(uri, one), one), one)).toBe(uri);
    }
  });
});

describe('canonical / shareable', () => {
  it.each<[EosPath, EosPath]>([
    [ROOT, ROOT],
    [USERS, USERS],
    [mine('x'), mine('x')],
    [user(USER_ID, 'x'), mine('x')],
    [user(USER_ID, ''), mine('')],
    [user(OTHER_ID, 'x'), user(OTHER_ID, 'x')],
    [org('x'), org('x')],
    [gencove('x'), gencove('x')]
  ])('canonical(%j) is %j', (path, expected) => {
    expect(canonical(path, ctx)).toEqual(expected);
  });

  it.each<[EosPath, EosPath, string]>([
    [ROOT, ROOT, 'e://'],
    [USERS, USERS, 'e://users/'],
    [mine(''), user(USER_ID, ''), `e://users/${USER_ID}/`],
    [mine('project-1/file.txt'), user(USER_ID, 'project-1/file.txt'), `e://users/${USER_ID}/project-1/file.txt`],
    [mine('a b/#?%20'), user(USER_ID, 'a b/#?%20'), `e://users/${USER_ID}/a b/#?%20`],
    [user(USER_ID, 'x'), user(USER_ID, 'x'), `e://users/${USER_ID}/x`],
    [user(OTHER_ID, 'x/'), user(OTHER_ID, 'x/'), `e://users/${OTHER_ID}/x/`],
    [org('x'), org('x'), 'e://org/x'],
    [gencove('x'), gencove('x'), 'e://gencove/x']
  ])('shareable(%j) is %j (%s)', (path, expected, uri) => {
    expect(shareable(path, ctx)).toEqual(expected);
    expect(shareableUri(path, ctx)).toBe(uri);
  });

  it('a shareable URI parses back to the same place for its owner and to the owner’s folder for others', () => {
    const uri = shareableUri(mine('project-1/file.txt'), ctx);
    expect(parseLocation(uri, ctx)).toEqual(mine('project-1/file.txt'));
    const colleague = makeContext({ userId: OTHER_ID, orgId: ORG_ID });
    expect(parseLocation(uri, colleague)).toEqual(user(USER_ID, 'project-1/file.txt'));
    expect(s3Uri(parseLocation(uri, colleague), colleague)).toBe(s3Uri(mine('project-1/file.txt'), ctx));
  });

  it('shareable and canonical are inverse in the user space', () => {
    expect(canonical(shareable(mine('x'), ctx), ctx)).toEqual(mine('x'));
    expect(shareable(canonical(user(USER_ID, 'x'), ctx), ctx)).toEqual(user(USER_ID, 'x'));
  });
});

describe('parseLocation / normalizeUri', () => {
  it.each<[string, string]>([
    ['e://', 'e://'],
    ['e://users', 'e://users/'],
    [`e://users/${UPPER_USER}/a/`, 'e://users/me/a/'],
    [`e://users/${UPPER_OTHER}/a`, `e://users/${OTHER_ID}/a`],
    [`s3://${ORG_BUCKET}/users/${USER_ID}/files/a`, 'e://users/me/a'],
    [`s3://${ORG_BUCKET}/users/${OTHER_ID}/files/a`, `e://users/${OTHER_ID}/a`],
    [`s3://${ORG_BUCKET}/users/`, 'e://users/'],
    [`s3://${ORG_BUCKET}/shared/files/`, 'e://org/'],
    [`s3://${GENCOVE_BUCKET}/files/`, 'e://gencove/'],
    ['  e://org/x', 'e://org/x'],
    [`\t s3://${ORG_BUCKET}/shared/files/x`, 'e://org/x']
  ])('normalizeUri(%j) is %j', (text, expected) => {
    expect(normalizeUri(text, ctx)).toBe(expected);
  });

  it.each([
    ['a trailing space', 'e://org/name '],
    ['trailing spaces', 'e://users/me/a/  '],
    ['a trailing newline', 'e://org/line\n'],
    ['a trailing tab', 'e://gencove/x\t']
  ])('keeps %s of the key', (_what, uri) => {
    expect(formatEosUri(parseLocation(uri, ctx))).toBe(uri);
    expect(normalizeUri(uri, ctx)).toBe(uri);
    const s3 = s3Uri(parseEosUri(uri), ctx);
    expect(normalizeUri(s3, ctx)).toBe(uri);
  });

  it('returns e:// for e://, which has no S3 form', () => {
    expect(parseLocation('e://', ctx)).toEqual(ROOT);
  });

  it.each<[string, string]>([
    ['', 'Path "" does not start with e://'],
    ['   ', 'Path "" does not start with e://'],
    ['E://org/x', 'Path "E://org/x" does not start with e://'],
    ['S3://bucket/x', 'Path "S3://bucket/x" does not start with e://'],
    ['s3:/bucket/x', 'Path "s3:/bucket/x" does not start with e://'],
    ['http://example.com/', 'Path "http://example.com/" does not start with e://'],
    ['/home/jovyan/x', 'Path "/home/jovyan/x" does not start with e://'],
    ['e://x/y', "Invalid namespace 'x'. Valid namespaces are: users, org, gencove"],
    ['e://users//x', "A user id (or 'me') must be specified"],
    ['e://users/bob/x', "User id 'bob' is not a valid UUID (or 'me')"],
    ['e://org/\u0000', 'The URI contains a NUL character'],
    ['e://org/\udfff', 'The URI contains an unpaired surrogate and cannot be encoded'],
    ['s3://Bad_Bucket/x', "'Bad_Bucket' is not a valid S3 bucket name"],
    ['s3://', "'' is not a valid S3 bucket name"],
    [`s3://${ORG_BUCKET}/shared/files/\u0000`, 'The URI contains a NUL character'],
    [`s3://${ORG_BUCKET}/users/${USER_ID}/scratch/x`, outside(`s3://${ORG_BUCKET}/users/${USER_ID}/scratch/x`)],
    [`s3://${ORG_BUCKET}/shared/x`, outside(`s3://${ORG_BUCKET}/shared/x`)],
    ['s3://other-bucket/files/x', outside('s3://other-bucket/files/x')]
  ])('parseLocation(%j) throws %j', (text, message) => {
    expectError(() => parseLocation(text, ctx), 'InvalidUri', message);
    expectError(() => normalizeUri(text, ctx), 'InvalidUri', message);
  });

  it('rejects non-strings', () => {
    expectError(() => parseLocation(undefined as unknown as string, ctx), 'InvalidUri', /does not start with e:\/\//);
    expectError(() => parseLocation(7 as unknown as string, ctx), 'InvalidUri', /does not start with e:\/\//);
  });
});

describe('fromS3 on S3 locations', () => {
  it.each<[S3Location, EosPath]>([
    [{ bucket: ORG_BUCKET, key: 'users/' }, USERS],
    [{ bucket: ORG_BUCKET, key: MY_PREFIX }, mine('')],
    [{ bucket: ORG_BUCKET, key: `${MY_PREFIX}a//b` }, mine('a//b')],
    [{ bucket: ORG_BUCKET, key: `${MY_PREFIX}/` }, mine('/')],
    [{ bucket: ORG_BUCKET, key: `${OTHER_PREFIX}files/x` }, user(OTHER_ID, 'files/x')],
    [{ bucket: ORG_BUCKET, key: 'shared/files/shared/files/' }, org('shared/files/')],
    [{ bucket: GENCOVE_BUCKET, key: 'files/files/' }, gencove('files/')]
  ])('fromS3(%j) is %j', (loc, path) => {
    expect(fromS3(loc, ctx)).toEqual(path);
    expect(toS3(path, ctx)).toEqual(loc);
  });
});
