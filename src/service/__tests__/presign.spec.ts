/**
 * POST /api/presign: real URLs, their expiry and what limits it.
 *
 * moto checks neither signatures nor expiry, so the URL's SigV4 parameters
 * are asserted on as well as its content; on versitygw (a second run, see
 * jest.config.js) S3's checks of them are asserted too.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  MOTO_DIFFERS,
  Reply,
  Running,
  S3,
  VERSITYGW_LACKS,
  deletePrefix,
  itExceptOn,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName,
  until,
  expectError
} from './harness';

const F = uniqueName('presign');
const ORG = `shared/files/${F}/`;
const URI = `e://org/${F}/reads.fastq`;
const BODY = '@r1\nACGT\n+\nIIII\n';

let client: S3Client;
let svc: Running;

beforeAll(async () => {
  client = testClient();
  await putObjects(client, S3.orgBucket, { [`${ORG}reads.fastq`]: BODY, [`${ORG}folder/x`]: 'x' });
  svc = await startService();
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
});

/** The SigV4 query parameters of a presigned URL. */
function sigv4(url: string) {
  const u = new URL(url);
  const p = u.searchParams;
  const date = p.get('X-Amz-Date')!;
  const signedAt = Date.UTC(
    +date.slice(0, 4),
    +date.slice(4, 6) - 1,
    +date.slice(6, 8),
    +date.slice(9, 11),
    +date.slice(11, 13),
    +date.slice(13, 15)
  );
  return {
    path: u.pathname,
    algorithm: p.get('X-Amz-Algorithm'),
    credential: p.get('X-Amz-Credential')!,
    expires: Number(p.get('X-Amz-Expires')),
    signature: p.get('X-Amz-Signature')!,
    token: p.get('X-Amz-Security-Token'),
    signedAt
  };
}

it('signs a URL that fetches the object, valid 48 h by default', async () => {
  const reply = await svc.post('/api/presign', { uri: URI });
  expect(reply.status).toBe(200);
  const { url, expiresAt, expiresIn, limitedBy } = reply.body;
  expect(expiresIn).toBe(172800);
  expect(limitedBy).toBe('request');

  const q = sigv4(url);
  expect(q.path).toBe(`/${S3.orgBucket}/${ORG}reads.fastq`);
  expect(q.algorithm).toBe('AWS4-HMAC-SHA256');
  expect(q.credential).toMatch(/^testing\/\d{8}\/us-east-1\/s3\/aws4_request$/);
  expect(q.signature).toMatch(/^[0-9a-f]{64}$/);
  expect(q.expires).toBe(172800);
  expect(Date.parse(expiresAt)).toBe(q.signedAt + 172800 * 1000);

  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(BODY);
});

it('signs for the time asked', async () => {
  const reply = await svc.post('/api/presign', { uri: URI, expiresIn: 600 });
  expect(reply.body).toMatchObject({ expiresIn: 600, limitedBy: 'request' });
  expect(sigv4(reply.body.url).expires).toBe(600);
});

it('caps at 7 days, the SigV4 maximum', async () => {
  const reply = await svc.post('/api/presign', { uri: URI, expiresIn: 8 * 24 * 3600 });
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ expiresIn: 604800, limitedBy: 'maximum' });
  const q = sigv4(reply.body.url);
  expect(q.expires).toBe(604800);
  expect(Date.parse(reply.body.expiresAt)).toBe(q.signedAt + 604800 * 1000);
});

it('accepts s3:// URIs', async () => {
  const reply = await svc.post('/api/presign', { uri: `s3://${S3.orgBucket}/${ORG}reads.fastq` });
  expect(reply.status).toBe(200);
  expect(await (await fetch(reply.body.url)).text()).toBe(BODY);
});

describe('with temporary credentials', () => {
  /** Presign URI with an S3 client whose credentials expire `seconds` from now. */
  async function presignExpiringIn(seconds: number): Promise<Reply> {
    const expiration = new Date(Date.now() + seconds * 1000);
    const temporary = testClient({
      credentials: async () => ({
        accessKeyId: 'testing',
        secretAccessKey: 'testing',
        sessionToken: 'session',
        expiration
      })
    });
    const temp = await startService(testConfig(), { s3Client: temporary });
    try {
      return await temp.post('/api/presign', { uri: URI });
    } finally {
      await temp.close();
      temporary.destroy();
    }
  }

  // The service asks S3 about the object with these (made-up) temporary credentials.
  const withSessionToken = itExceptOn('versitygw', VERSITYGW_LACKS.sessionTokens);

  withSessionToken('caps at the credentials’ expiry and says so', async () => {
    const reply = await presignExpiringIn(3600);
    expect(reply.status).toBe(200);
    expect(reply.body.limitedBy).toBe('credentials');
    expect(reply.body.expiresIn).toBeLessThanOrEqual(3600);
    expect(reply.body.expiresIn).toBeGreaterThan(3500);
    const q = sigv4(reply.body.url);
    expect(q.expires).toBe(reply.body.expiresIn);
    expect(q.token).toBe('session');
    expect(Date.parse(reply.body.expiresAt)).toBe(q.signedAt + reply.body.expiresIn * 1000);
  });

  withSessionToken('refuses to sign with credentials about to expire', async () => {
    expectError(await presignExpiringIn(30), 503, 'NoCredentials', /credentials expire in \d+ s/);
  });
});

describe('what S3 checks of a signed URL', () => {
  const checked = itExceptOn('moto', MOTO_DIFFERS.presignChecks);

  checked('refuses a URL whose signature was changed', async () => {
    const { url } = (await svc.post('/api/presign', { uri: URI })).body;
    const signed = new URL(url);
    const signature = signed.searchParams.get('X-Amz-Signature')!;
    signed.searchParams.set('X-Amz-Signature', (signature[0] === '0' ? '1' : '0') + signature.slice(1));
    const res = await fetch(signed);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  checked('refuses a URL for another key', async () => {
    const { url } = (await svc.post('/api/presign', { uri: URI })).body;
    const res = await fetch(url.replace('/reads.fastq?', '/folder/x?'));
    expect(res.status).toBe(403);
  });

  checked('refuses a URL once it has expired', async () => {
    const reply = await svc.post('/api/presign', { uri: URI, expiresIn: 1 });
    expect(reply.body.expiresIn).toBe(1);
    // Valid for one second: answered until then, refused after (jest's timeout bounds the wait).
    let res: Response | undefined;
    await until(async () => {
      res = await fetch(reply.body.url);
      return res.status !== 200;
    });
    expect(res!.status).toBe(403);
    expect(await res!.text()).toContain('expired');
  });
});

it.each([`e://org/${F}/folder/`, `e://org/${F}/folder`, 'e://org/'])('refuses to presign the folder %s', async uri => {
  const reply = await svc.post('/api/presign', { uri });
  expectError(reply, 400, 'InvalidRequest', 'Cannot presign a folder');
});

it('answers 404 for a missing object', async () => {
  const reply = await svc.post('/api/presign', { uri: `e://org/${F}/missing.bam` });
  expect(reply.status).toBe(404);
  expect(reply.body.message).toBe(`No such object: e://org/${F}/missing.bam`);
});

it.each([
  [{ uri: URI, expiresIn: 0 }, "Invalid 'expiresIn': must be at least 1 second"],
  [{ uri: URI, expiresIn: -5 }, "Invalid 'expiresIn'"],
  [{ uri: URI, expiresIn: 1.5 }, "Invalid 'expiresIn': must be a whole number of seconds"],
  [{ uri: URI, expiresIn: '60' }, "Invalid 'expiresIn': must be a number"],
  [{ expiresIn: 60 }, "Invalid 'uri': is required"],
  [{ uri: 42 }, "Invalid 'uri': must be a string"],
  [{ uri: URI, expires_in: 60 }, "Invalid request: unknown field 'expires_in'"],
  [[URI], 'Invalid request: the body must be a JSON object']
])('answers %j with 400 naming the field', async (body, message) => {
  const reply = await svc.post('/api/presign', body);
  expectError(reply, 400, 'InvalidRequest', message);
});

it('answers an invalid URI with the CLI wording', async () => {
  const reply = await svc.post('/api/presign', { uri: 'e://nope/x' });
  expect(reply.status).toBe(400);
  expect(reply.body).toEqual({
    code: 'InvalidUri',
    message: "Invalid namespace 'nope'. Valid namespaces are: users, org, gencove"
  });
});

describe('download: true (to the computer)', () => {
  const NAMES: Record<string, string> = { quoted: 'a "b"\\c\x01.txt', unicode: 'résumé ü.fastq' };

  beforeAll(async () => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}${NAMES.quoted}`]: 'q',
      [`${ORG}${NAMES.unicode}`]: 'u'
    });
  });

  /** The signed URL's `response-content-disposition` (moto ignores it, S3 answers with it). */
  async function disposition(name: string, download?: boolean): Promise<string | null> {
    const reply = await svc.post('/api/presign', { uri: `e://org/${F}/${name}`, download });
    expect(reply.status).toBe(200);
    return new URL(reply.body.url).searchParams.get('response-content-disposition');
  }

  it('signs an attachment named after the object', async () => {
    expect(await disposition('reads.fastq', true)).toBe(
      `attachment; filename="reads.fastq"; filename*=UTF-8''reads.fastq`
    );
  });

  it('makes quotes, backslashes and control characters safe, and keeps the exact name in filename*', async () => {
    const value = await disposition(NAMES.quoted, true);
    expect(value).toBe(`attachment; filename="a _b__c_.txt"; filename*=UTF-8''a%20%22b%22%5Cc%01.txt`);
    expect(decodeURIComponent(value!.split("UTF-8''")[1])).toBe(NAMES.quoted);
  });

  it('writes non-ASCII names as UTF-8 in filename*', async () => {
    const value = await disposition(NAMES.unicode, true);
    expect(value).toBe(`attachment; filename="r_sum_ _.fastq"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%C3%BC.fastq`);
  });

  itExceptOn('moto', MOTO_DIFFERS.disposition)(
    'gets the object with the signed Content-Disposition as its header',
    async () => {
      for (const name of ['reads.fastq', NAMES.quoted, NAMES.unicode]) {
        const reply = await svc.post('/api/presign', { uri: `e://org/${F}/${name}`, download: true });
        const res = await fetch(reply.body.url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toBe(
          new URL(reply.body.url).searchParams.get('response-content-disposition')
        );
      }
    }
  );

  it('adds no content disposition without download', async () => {
    expect(await disposition('reads.fastq')).toBeNull();
    expect(await disposition('reads.fastq', false)).toBeNull();
  });

  it('refuses a download flag that is not a boolean', async () => {
    const reply = await svc.post('/api/presign', { uri: URI, download: 'yes' });
    expectError(reply, 400, 'InvalidRequest', /download/);
  });
});
