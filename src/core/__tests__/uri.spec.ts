import {
  EOS_SCHEME,
  isUserId,
  EosPath,
  ME,
  NAMESPACES,
  S3_SCHEME,
  S3Location,
  compareKeys,
  formatEosUri,
  formatS3Uri,
  isUuid,
  parseEosUri,
  parseS3Uri,
  utf8Length
} from '../uri';
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
  USER_ID,
  USERS
} from './fixtures';

describe('constants', () => {
  it('has the schemes, me and the namespaces in the CLI order', () => {
    expect(EOS_SCHEME).toBe('e://');
    expect(S3_SCHEME).toBe('s3://');
    expect(ME).toBe('me');
    expect([...NAMESPACES]).toEqual(['users', 'org', 'gencove']);
  });
});

describe('isUserId', () => {
  it.each([
    [USER_ID, true],
    [USER_ID.toUpperCase(), false],
    ['me', false],
    ['', false]
  ])('%s → %s (folders are lower-case UUIDs)', (text, expected) => {
    expect(isUserId(text)).toBe(expected);
  });
});

describe('isUuid', () => {
  it.each([
    [USER_ID, true],
    [USER_ID.toUpperCase(), true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['me', false],
    ['', false],
    [USER_ID.replace(/-/g, ''), false],
    [`{${USER_ID}}`, false],
    [`urn:uuid:${USER_ID}`, false],
    [` ${USER_ID}`, false],
    [`${USER_ID} `, false],
    [`${USER_ID}\n`, false],
    [USER_ID.slice(0, -1), false],
    [USER_ID + '0', false],
    [USER_ID.replace('d', 'g'), false],
    ['d3fcaf7-42152-4ed5-9834-9ecb1db4dd6c', false]
  ])('isUuid(%j) is %s', (text, expected) => {
    expect(isUuid(text)).toBe(expected);
  });
});

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['abc', 3],
    ['\u007f', 1],
    ['\u0080', 2],
    ['\u00e9', 2],
    ['e\u0301', 3],
    ['\u07ff', 2],
    ['\u0800', 3],
    ['\u65e5', 3],
    ['\uffff', 3],
    ['\u{1f9ec}', 4],
    ['\u{10ffff}', 4],
    ['\u65e5'.repeat(342), 1026],
    ['a\u00e9\u65e5\u{1f9ec}', 10]
  ])('utf8Length(%j) is %d', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
  });

  it('agrees with TextEncoder on every odd key', () => {
    for (const [, key] of ODD_KEYS) {
      expect(utf8Length(key)).toBe(new TextEncoder().encode(key).length);
    }
  });
});

describe('parseEosUri', () => {
  it.each<[string, EosPath]>([
    ['e://', ROOT],
    ['e://users', USERS],
    ['e://users/', USERS],
    ['e://users/me', mine('')],
    ['e://users/me/', mine('')],
    ['e://users/me/a', mine('a')],
    ['e://users/me/a/b.txt', mine('a/b.txt')],
    ['e://users/me/a/b/', mine('a/b/')],
    [`e://users/${OTHER_ID}`, user(OTHER_ID, '')],
    [`e://users/${OTHER_ID}/`, user(OTHER_ID, '')],
    [`e://users/${OTHER_ID}/x/y`, user(OTHER_ID, 'x/y')],
    [`e://users/${UPPER_OTHER}/x`, user(OTHER_ID, 'x')],
    [`e://users/${USER_ID}/x`, user(USER_ID, 'x')],
    ['e://org', org('')],
    ['e://org/', org('')],
    ['e://org/x', org('x')],
    ['e://org/x/', org('x/')],
    ['e://gencove', gencove('')],
    ['e://gencove/', gencove('')],
    ['e://gencove/ref/hg38.fa', gencove('ref/hg38.fa')],
    ['e://org//', org('/')],
    ['e://org//x', org('/x')],
    ['e://users/me//x', mine('/x')],
    ['e://users/me/x//', mine('x//')]
  ])('parses %j', (text, expected) => {
    expect(parseEosUri(text)).toEqual(expected);
  });

  describe.each([
    ['users/me', mine],
    [`users/${OTHER_ID}`, (key: string) => user(OTHER_ID, key)],
    ['org', org],
    ['gencove', gencove]
  ])('keeps keys verbatim under e://%s/', (prefix, make) => {
    it.each(ODD_KEYS)('%s', (_what, key) => {
      const uri = `e://${prefix}/${key}`;
      const path = parseEosUri(uri);
      expect(path).toEqual(make(key));
      expect(formatEosUri(path)).toBe(uri);
    });
  });

  it('keeps NFC and NFD spellings distinct', () => {
    const nfc = parseEosUri('e://org/caf\u00e9');
    const nfd = parseEosUri('e://org/cafe\u0301');
    expect(nfc.key).not.toBe(nfd.key);
    expect(nfc.key).toBe('caf\u00e9');
    expect(nfd.key).toBe('cafe\u0301');
  });

  it('does not decode percent escapes', () => {
    expect(parseEosUri('e://org/a%20b').key).toBe('a%20b');
    expect(parseEosUri('e://users/me/%2e%2e/x').key).toBe('%2e%2e/x');
  });

  it('accepts keys of any length (the byte limit is checked when mapping to S3)', () => {
    expect(parseEosUri('e://org/' + '\u65e5'.repeat(342)).key).toHaveLength(342);
  });

  const BAD_SCHEME = (text: string, scheme = 'e://') => `Path ${JSON.stringify(text)} does not start with ${scheme}`;
  it.each<[string, string]>([
    ['', BAD_SCHEME('')],
    ['E://', BAD_SCHEME('E://')],
    ['E://org/x', BAD_SCHEME('E://org/x')],
    ['e:/', BAD_SCHEME('e:/')],
    ['e:', BAD_SCHEME('e:')],
    ['e', BAD_SCHEME('e')],
    ['e:/org/x', BAD_SCHEME('e:/org/x')],
    [' e://org/x', BAD_SCHEME(' e://org/x')],
    ['s3://bucket/x', BAD_SCHEME('s3://bucket/x')],
    ['s3:/bucket/x', BAD_SCHEME('s3:/bucket/x')],
    ['http://example.com/x', BAD_SCHEME('http://example.com/x')],
    ['file:///tmp/x', BAD_SCHEME('file:///tmp/x')],
    ['org/x', BAD_SCHEME('org/x')],
    ['/home/jovyan/x', BAD_SCHEME('/home/jovyan/x')],
    ['e://x', `Invalid namespace 'x'. ${NS_LIST}`],
    ['e://x/y', `Invalid namespace 'x'. ${NS_LIST}`],
    ['e://Users/me/x', `Invalid namespace 'Users'. ${NS_LIST}`],
    ['e://ORG/x', `Invalid namespace 'ORG'. ${NS_LIST}`],
    ['e://user/me/x', `Invalid namespace 'user'. ${NS_LIST}`],
    ['e://shared/files/x', `Invalid namespace 'shared'. ${NS_LIST}`],
    ['e:///org/x', `Invalid namespace ''. ${NS_LIST}`],
    ['e:// org/x', `Invalid namespace ' org'. ${NS_LIST}`],
    ['e://org /x', `Invalid namespace 'org '. ${NS_LIST}`],
    ['e://users//', "A user id (or 'me') must be specified"],
    ['e://users//x', "A user id (or 'me') must be specified"],
    ['e://users/x', "User id 'x' is not a valid UUID (or 'me')"],
    ['e://users/x/y', "User id 'x' is not a valid UUID (or 'me')"],
    ['e://users/ME/x', "User id 'ME' is not a valid UUID (or 'me')"],
    ['e://users/Me', "User id 'Me' is not a valid UUID (or 'me')"],
    ['e://users/me@example.com/x', "User id 'me@example.com' is not a valid UUID (or 'me')"],
    [
      `e://users/${USER_ID.replace(/-/g, '')}/x`,
      `User id '${USER_ID.replace(/-/g, '')}' is not a valid UUID (or 'me')`
    ],
    [`e://users/${USER_ID} /x`, `User id '${USER_ID} ' is not a valid UUID (or 'me')`],
    ['e://users/ /x', "User id ' ' is not a valid UUID (or 'me')"],
    ['e://users/../x', "User id '..' is not a valid UUID (or 'me')"],
    ['e://org/a\u0000b', 'The URI contains a NUL character'],
    ['e://users/me/\u0000', 'The URI contains a NUL character'],
    ['e://org/a\ud800b', 'The URI contains an unpaired surrogate and cannot be encoded'],
    ['e://org/a\udc00', 'The URI contains an unpaired surrogate and cannot be encoded'],
    ['e://org/\ud83e', 'The URI contains an unpaired surrogate and cannot be encoded'],
    ['e://org/\udc00\ud800', 'The URI contains an unpaired surrogate and cannot be encoded']
  ])('rejects %j', (text, message) => {
    expectError(() => parseEosUri(text), 'InvalidUri', message);
  });

  it.each([undefined, null, 42, {}])('rejects the non-string %p', value => {
    expectError(() => parseEosUri(value as unknown as string), 'InvalidUri', /does not start with e:\/\//);
  });
});

describe('formatEosUri', () => {
  it.each<[EosPath, string]>([
    [ROOT, 'e://'],
    [USERS, 'e://users/'],
    [mine(''), 'e://users/me/'],
    [mine('a/b'), 'e://users/me/a/b'],
    [user(OTHER_ID, ''), `e://users/${OTHER_ID}/`],
    [user(OTHER_ID, 'x/'), `e://users/${OTHER_ID}/x/`],
    [org(''), 'e://org/'],
    [org('x'), 'e://org/x'],
    [gencove(''), 'e://gencove/'],
    [gencove('a b/c'), 'e://gencove/a b/c']
  ])('formats %j as %j', (path, text) => {
    expect(formatEosUri(path)).toBe(text);
  });

  // Canonical URIs: format(parse(u)) === u and parse(format(p)) deep-equals p.
  const CANONICAL = [
    'e://',
    'e://users/',
    'e://users/me/',
    'e://users/me/x',
    'e://users/me/x/',
    'e://users/me/tmp/',
    `e://users/${OTHER_ID}/`,
    `e://users/${OTHER_ID}/shared/report.pdf`,
    'e://org/',
    'e://org/project-1/file.txt',
    'e://org/a//b',
    'e://org//',
    'e://gencove/',
    'e://gencove/reference/GRCh38/'
  ].concat(ODD_KEYS.map(([, key]) => `e://org/${key}`));

  it.each(CANONICAL)('round-trips %j', text => {
    const path = parseEosUri(text);
    expect(formatEosUri(path)).toBe(text);
    expect(parseEosUri(formatEosUri(path))).toEqual(path);
  });

  it.each([
    ['e://users', 'e://users/'],
    ['e://users/me', 'e://users/me/'],
    ['e://org', 'e://org/'],
    ['e://gencove', 'e://gencove/'],
    [`e://users/${OTHER_ID}`, `e://users/${OTHER_ID}/`],
    [`e://users/${UPPER_OTHER}/X`, `e://users/${OTHER_ID}/X`]
  ])('normalises %j to %j', (text, canonical) => {
    expect(formatEosUri(parseEosUri(text))).toBe(canonical);
  });
});

describe('parseS3Uri / formatS3Uri', () => {
  it.each<[string, S3Location]>([
    ['s3://bucket', { bucket: 'bucket', key: '' }],
    ['s3://bucket/', { bucket: 'bucket', key: '' }],
    ['s3://bucket/a', { bucket: 'bucket', key: 'a' }],
    ['s3://bucket/a/', { bucket: 'bucket', key: 'a/' }],
    ['s3://bucket//a', { bucket: 'bucket', key: '/a' }],
    ['s3://abc/x', { bucket: 'abc', key: 'x' }],
    ['s3://' + 'a'.repeat(63) + '/x', { bucket: 'a'.repeat(63), key: 'x' }],
    ['s3://my.bucket-1/x', { bucket: 'my.bucket-1', key: 'x' }],
    ['s3://0bucket9/x', { bucket: '0bucket9', key: 'x' }],
    ['s3://gencove-explorer-data/files/A B', { bucket: 'gencove-explorer-data', key: 'files/A B' }]
  ])('parses %j', (text, loc) => {
    expect(parseS3Uri(text)).toEqual(loc);
  });

  it.each(ODD_KEYS)('keeps the key verbatim: %s', (_what, key) => {
    const text = `s3://bucket/${key}`;
    expect(parseS3Uri(text)).toEqual({ bucket: 'bucket', key });
    expect(formatS3Uri(parseS3Uri(text))).toBe(text);
  });

  it('formats with a slash after the bucket', () => {
    expect(formatS3Uri({ bucket: 'b1c', key: '' })).toBe('s3://b1c/');
    expect(formatS3Uri({ bucket: 'b1c', key: 'x/y' })).toBe('s3://b1c/x/y');
  });

  const BAD = (text: string) => `Path ${JSON.stringify(text)} does not start with s3://`;
  const BUCKET = (name: string) => `'${name}' is not a valid S3 bucket name`;
  it.each<[string, string]>([
    ['', BAD('')],
    ['S3://bucket/x', BAD('S3://bucket/x')],
    ['s3:/bucket/x', BAD('s3:/bucket/x')],
    ['s3:bucket/x', BAD('s3:bucket/x')],
    ['s3//bucket/x', BAD('s3//bucket/x')],
    ['http://bucket/x', BAD('http://bucket/x')],
    ['https://bucket.s3.amazonaws.com/x', BAD('https://bucket.s3.amazonaws.com/x')],
    ['e://org/x', BAD('e://org/x')],
    [' s3://bucket/x', BAD(' s3://bucket/x')],
    ['s3://', BUCKET('')],
    ['s3:///x', BUCKET('')],
    ['s3://ab/x', BUCKET('ab')],
    ['s3://' + 'a'.repeat(64) + '/x', BUCKET('a'.repeat(64))],
    ['s3://Bucket/x', BUCKET('Bucket')],
    ['s3://my_bucket/x', BUCKET('my_bucket')],
    ['s3://-bucket/x', BUCKET('-bucket')],
    ['s3://bucket-/x', BUCKET('bucket-')],
    ['s3://.bucket/x', BUCKET('.bucket')],
    ['s3://bucket./x', BUCKET('bucket.')],
    ['s3://my..bucket/x', BUCKET('my..bucket')],
    ['s3://192.168.5.4/x', BUCKET('192.168.5.4')],
    ['s3://buck et/x', BUCKET('buck et')],
    ['s3://bück/x', BUCKET('bück')],
    ['s3://bucket:9000/x', BUCKET('bucket:9000')],
    ['s3://bucket?x=1', BUCKET('bucket?x=1')],
    ['s3://bucket#x', BUCKET('bucket#x')],
    ['s3://bucket/a\u0000', 'The URI contains a NUL character'],
    ['s3://bucket/\ud800', 'The URI contains an unpaired surrogate and cannot be encoded']
  ])('rejects %j', (text, message) => {
    expectError(() => parseS3Uri(text), 'InvalidUri', message);
  });
});

describe('compareKeys', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const byteOrder = (a: string, b: string) => {
    const [x, y] = [bytes(a), bytes(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) {
        return x[i] - y[i];
      }
    }
    return x.length - y.length;
  };

  it('orders keys as their UTF-8 bytes do, where UTF-16 order differs', () => {
    // U+FF21 is one UTF-16 unit above the surrogates of U+1F600, but below it in code points.
    expect('\uff21' < '\u{1f600}').toBe(false);
    expect(compareKeys('\uff21', '\u{1f600}')).toBeLessThan(0);
    expect(compareKeys('\ue000', '\u{10000}')).toBeLessThan(0);
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
    expect(compareKeys('ab', 'ab')).toBe(0);
    expect(compareKeys('b', 'a\u{1f600}')).toBeGreaterThan(0);
  });

  it('agrees with byte order on 2,000 random keys', () => {
    const alphabet = [
      'a',
      'z',
      '/',
      ' ',
      '+',
      'é',
      '\u07ff',
      '\u0800',
      '\ud7ff',
      '\ue000',
      '\uffff',
      '\u{10000}',
      '\u{1f600}'
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = Array.from({ length: 2000 }, () =>
      Array.from({ length: 1 + random(6) }, () => alphabet[random(alphabet.length)]).join('')
    );
    expect([...keys].sort(compareKeys)).toEqual([...keys].sort(byteOrder));
  });
});
