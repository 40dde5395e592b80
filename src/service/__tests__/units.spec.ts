/**
 * Pure helpers, for the cases a real S3 server cannot produce on demand.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { EosError, makeContext } from '../../core';
import { xmlSafe } from '../engine/s3/batches';
import { copySource } from '../engine/s3/servercopy';
import { forEachConcurrent } from '../engine/jobs/pool';
import { staticPage } from '../engine/s3/entries';
import { decodeListName } from '../engine/s3/listing';
import { planExpiry } from '../engine/s3/presign';
import { toEosError } from '../engine/s3/errors';
import { cookieValues, safeEqual } from '../http/security';
import { EosStore } from '../engine/s3/store';

describe('planExpiry', () => {
  const now = Date.UTC(2026, 0, 1);
  const inSeconds = (s: number) => new Date(now + s * 1000);

  it.each([
    [3600, undefined, { seconds: 3600, limitedBy: 'request' }],
    [604800, undefined, { seconds: 604800, limitedBy: 'request' }],
    [604801, undefined, { seconds: 604800, limitedBy: 'maximum' }],
    [172800, inSeconds(3600), { seconds: 3600, limitedBy: 'credentials' }],
    [1e12, inSeconds(3600), { seconds: 3600, limitedBy: 'credentials' }],
    [1e12, inSeconds(30 * 24 * 3600), { seconds: 604800, limitedBy: 'maximum' }],
    [600, inSeconds(3600), { seconds: 600, limitedBy: 'request' }],
    [60, inSeconds(60), { seconds: 60, limitedBy: 'request' }]
  ])('plans %d s with credentials expiring %s', (requested, expires, plan) => {
    expect(planExpiry(requested, expires, now)).toEqual(plan);
  });

  it.each([59, 0, -100])('refuses credentials expiring in %d s', left => {
    expect(() => planExpiry(3600, inSeconds(left), now)).toThrow(
      expect.objectContaining({
        code: 'NoCredentials',
        message: expect.stringContaining(`expire in ${Math.max(left, 0)} s`)
      })
    );
  });
});

describe('staticPage', () => {
  const entries = ['a', 'b', 'c'].map(name => ({
    kind: 'folder' as const,
    name,
    uri: `e://${name}`,
    access: 'read' as const
  }));

  it('pages by offset', () => {
    expect(staticPage(entries, undefined, 2)).toEqual({ entries: entries.slice(0, 2), next: '2' });
    expect(staticPage(entries, '2', 2)).toEqual({ entries: entries.slice(2), next: null });
    expect(staticPage(entries, undefined, 3)).toEqual({ entries, next: null });
  });

  it.each(['x', '-1', '4', '1.5'])('refuses the cursor %j', cursor => {
    expect(() => staticPage(entries, cursor, 2)).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
  });
});

describe('toEosError', () => {
  const where = { uri: 'e://org/a.bam', bucket: 'b1', endpoint: 'https://s3.example' };
  const s3Error = (name: string, status: number, message = 'boom') =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

  it.each([
    [s3Error('NoSuchKey', 404), 'NotFound', 'No such object: e://org/a.bam'],
    [s3Error('NotFound', 404), 'NotFound', 'No such object: e://org/a.bam'],
    [s3Error('NoSuchBucket', 404), 'NotFound', 'The bucket b1 does not exist'],
    [s3Error('AccessDenied', 403), 'AccessDenied', 'Access denied to e://org/a.bam'],
    [s3Error('Forbidden', 403), 'AccessDenied', 'Access denied to e://org/a.bam'],
    [s3Error('ExpiredToken', 400), 'NoCredentials', 'S3 rejected the AWS credentials (ExpiredToken)'],
    [s3Error('InvalidAccessKeyId', 403), 'NoCredentials', 'S3 rejected the AWS credentials (InvalidAccessKeyId)'],
    [s3Error('PermanentRedirect', 301), 'Upstream', 'set EOS_REGION'],
    [s3Error('SlowDown', 503, 'Please reduce your request rate'), 'Upstream', 'S3 failed on e://org/a.bam: SlowDown'],
    [
      Object.assign(new Error('nope'), { name: 'CredentialsProviderError' }),
      'NoCredentials',
      'No AWS credentials found'
    ],
    [
      Object.assign(new Error('getaddrinfo ENOTFOUND s3.example'), { code: 'ENOTFOUND' }),
      'Upstream',
      'Cannot reach S3 at https://s3.example: ENOTFOUND'
    ],
    [
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 1.2.3.4:9'),
      'Upstream',
      'Cannot reach S3 at https://s3.example: ECONNREFUSED'
    ],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'Upstream', 'did not answer in time'],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'Upstream', 'did not answer in time'],
    ['a string', 'Upstream', 'S3 failed on e://org/a.bam']
  ])('maps %s to %s', (err, code, message) => {
    const mapped = toEosError(err, where);
    expect(mapped).toBeInstanceOf(EosError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain(message);
  });

  it('keeps S3 code and message in the details', () => {
    expect(toEosError(s3Error('SlowDown', 503, 'Please reduce'), where).details).toBe(
      'SlowDown (HTTP 503): Please reduce'
    );
  });

  it('passes EosErrors through', () => {
    const err = new EosError('ReadOnly', 'no');
    expect(toEosError(err, where)).toBe(err);
  });
});

describe('cookies and tokens', () => {
  it('finds every cookie of a name', () => {
    expect(cookieValues('a=1; _xsrf=t1; b="2"; _xsrf="t2"', '_xsrf')).toEqual(['t1', 't2']);
    expect(cookieValues('x_xsrf=1; _xsrfx=2', '_xsrf')).toEqual([]);
    expect(cookieValues(undefined, '_xsrf')).toEqual([]);
  });

  it('compares tokens of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('a cursor S3 does not accept', () => {
  // Real S3 answers a foreign continuation token with 400 InvalidArgument; moto ignores it.
  const refusing = {
    middlewareStack: { add: () => undefined, remove: () => undefined },
    send: async () => {
      throw Object.assign(new Error('The continuation token provided is incorrect'), {
        name: 'InvalidArgument',
        $metadata: { httpStatusCode: 400 }
      });
    }
  } as unknown as S3Client;
  const ctx = makeContext({
    userId: 'd3fcaf74-2152-4ed5-9834-9ecb1db4dd6c',
    orgId: 'c4b6da6d-8e1f-4c7a-9b2d-5a0e3f6c1d27'
  });
  const store = new EosStore(refusing, ctx, 'https://s3.example');

  it('is an invalid request, not an upstream failure', async () => {
    await expect(store.list('e://org/a/', { cursor: 'foreign', limit: 10 })).rejects.toMatchObject({
      code: 'InvalidRequest',
      message: "Invalid 'cursor': S3 did not accept it for e://org/a/; list again from the start"
    });
  });

  it('is an upstream failure without a cursor', async () => {
    await expect(store.list('e://org/a/', { limit: 10 })).rejects.toMatchObject({ code: 'Upstream' });
  });
});

describe('decodeListName', () => {
  it.each([
    ['a%20b', 'a b'],
    ['a+b', 'a b'], // AWS encodes form-style: '+' is a space
    ['a%2Bb', 'a+b'],
    ['cr%0Dx', 'cr\rx'],
    ['ctl%01%7F', 'ctl\x01\x7f'],
    ['%25', '%'],
    ['caf%C3%A9', 'caf\u00e9']
  ])('decodes %j as %j', (encoded, decoded) => {
    expect(decodeListName(encoded)).toBe(decoded);
  });
});

describe('xmlSafe', () => {
  it.each([
    ['plain', true],
    ['tab\t', true],
    ['cr\r', false],
    ['lf\n', true],
    ['ctl\x01', false],
    ['esc\x1b', false],
    ['del\x7f', true]
  ])('%j -> %s', (key, safe) => {
    expect(xmlSafe(key)).toBe(safe);
  });
});

describe('copySource', () => {
  it('encodes each key segment, keeping the slashes', () => {
    expect(copySource('b', 'a b/c+d%/e#?\r\x01.txt')).toBe('b/a%20b/c%2Bd%25/e%23%3F%0D%01.txt');
    expect(copySource('b', 'a//b/')).toBe('b/a//b/');
  });
});

describe('forEachConcurrent', () => {
  it('keeps at most `limit` in flight and stops at the first failure', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const work = forEachConcurrent([1, 2, 3, 4, 5, 6, 7, 8], 3, new AbortController().signal, async n => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise(resolve => setTimeout(resolve, 5));
      inFlight--;
      seen.push(n);
      if (n === 4) {
        throw new Error('four');
      }
    });
    await expect(work).rejects.toThrow('four');
    expect(most).toBe(3);
    expect(seen).not.toContain(8);
  });

  it('does nothing under a signal already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fn = jest.fn(async () => undefined);
    await expect(forEachConcurrent([1, 2], 2, controller.signal, fn)).rejects.toBeDefined();
    expect(fn).not.toHaveBeenCalled();
  });

  /** Items 1..5, two at a time, item 2 failing at once while item 1 is under way: what each item's signal saw. */
  async function failingBeside(options?: { letStartedEnd?: boolean }, caller = new AbortController()) {
    const ended: string[] = [];
    const work = forEachConcurrent(
      [1, 2, 3, 4, 5],
      2,
      caller.signal,
      async (n, signal) => {
        if (n === 2) {
          throw new Error('two');
        }
        await new Promise(resolve => setTimeout(resolve, 30));
        ended.push(`${n} ${signal.aborted ? 'cut' : 'ended'}`);
      },
      options
    );
    return { work, ended };
  }

  it('cuts the items under way at the first failure', async () => {
    const { work, ended } = await failingBeside();
    await expect(work).rejects.toThrow('two');
    expect(ended).toEqual(['1 cut']);
  });

  it('with letStartedEnd, lets the items under way end and starts no more', async () => {
    const { work, ended } = await failingBeside({ letStartedEnd: true });
    await expect(work).rejects.toThrow('two');
    expect(ended).toEqual(['1 ended']);
  });

  it("with letStartedEnd, still hands the caller's abort to the items under way", async () => {
    const caller = new AbortController();
    const { work, ended } = await failingBeside({ letStartedEnd: true }, caller);
    caller.abort();
    await expect(work).rejects.toBeDefined();
    expect(ended).toEqual(['1 cut']);
  });
});
