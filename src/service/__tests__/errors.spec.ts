/**
 * S3 failures as the user sees them: missing bucket, access denied,
 * unreachable endpoint, no credentials.
 */
import * as net from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deniedBucket } from './badinput-build';
import { EosError } from '../../core';
import { S3Error, isConditionalConflict, isPreconditionFailed, isUnreachable, toEosError } from '../engine/s3/errors';
import {
  Running,
  S3,
  createBucket,
  dropBucket,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName,
  expectError
} from './harness';

let client: S3Client;
beforeAll(() => {
  client = testClient();
});
afterAll(() => {
  client.destroy();
});

describe('a bucket that does not exist', () => {
  const bucket = uniqueName('gencove-explorer-nosuch');
  let svc: Running;
  beforeAll(async () => {
    svc = await startService(testConfig({ orgBucket: bucket }));
  });
  afterAll(async () => {
    await svc.close();
  });

  it.each([
    ['list', () => svc.get('/api/list', { uri: 'e://org/' })],
    ['stat', () => svc.get('/api/stat', { uri: 'e://org/x.txt' })],
    ['presign', () => svc.post('/api/presign', { uri: 'e://users/me/x.txt' })]
  ])('answers %s with 404 naming the bucket and the settings', async (_name, call) => {
    const reply = await call();
    expectError(reply, 404, 'NotFound', `The bucket ${bucket} does not exist`);
    expect(reply.body.message).toContain('GENCOVE_ORGANIZATION_ID');
    expect(reply.body.message).toContain('EOS_ORG_BUCKET');
  });
});

describe('a bucket policy that denies access', () => {
  const bucket = uniqueName('eos-deny');
  let svc: Running;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    drop = await deniedBucket(client, bucket, { 'shared/files/secret.bam': 'secret' });
    svc = await startService(testConfig({ orgBucket: bucket }));
  });
  afterAll(async () => {
    await svc.close();
    await drop();
  });

  it.each([
    ['stat', () => svc.get('/api/stat', { uri: 'e://org/secret.bam' })],
    ['presign', () => svc.post('/api/presign', { uri: 'e://org/secret.bam' })]
  ])('answers %s with 403 AccessDenied naming the URI', async (_name, call) => {
    expectError(await call(), 403, 'AccessDenied', /^Access denied to e:\/\/org\/secret\.bam$/);
  });
});

describe('an endpoint nobody listens on', () => {
  let svc: Running;
  let endpoint: string;
  beforeAll(async () => {
    // A port that was free a moment ago: connections to it are refused.
    const probe = net.createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>(resolve => probe.close(() => resolve()));
    endpoint = `http://127.0.0.1:${port}`;
    svc = await startService(testConfig({ endpoint }));
  });
  afterAll(async () => {
    await svc.close();
  });

  it.each([
    ['list', () => svc.get('/api/list', { uri: 'e://org/' })],
    ['stat', () => svc.get('/api/stat', { uri: 'e://org/x.txt' })]
  ])('answers %s with 502 Upstream naming the endpoint', async (_name, call) => {
    expectError(await call(), 502, 'Upstream', `Cannot reach S3 at ${endpoint}: ECONNREFUSED`);
  });
});

describe('no credentials anywhere in the default chain', () => {
  const saved = { ...process.env };
  let svc: Running;
  beforeAll(async () => {
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI'
    ]) {
      delete process.env[name];
    }
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    svc = await startService(testConfig());
  });
  afterAll(async () => {
    await svc.close();
    process.env = saved;
  });

  it('answers 503 NoCredentials', async () => {
    const reply = await svc.get('/api/list', { uri: 'e://org/' });
    expectError(reply, 503, 'NoCredentials', /^No AWS credentials found/);
  });
});

describe('S3 failures keep what S3 said as fields (S3Error), for callers to test', () => {
  const bucket = uniqueName('gencove-explorer-typed');
  const where = { bucket, endpoint: S3.endpoint };
  beforeAll(async () => {
    await createBucket(client, bucket);
    await putObjects(client, bucket, { 'there.txt': 'x' });
  });
  afterAll(async () => {
    await dropBucket(client, bucket);
  });

  const failure = async (call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (err) {
      return toEosError(err, where);
    }
    throw new Error('the call succeeded');
  };

  it('a failed If-None-Match is a precondition failure, by its code and status, not its message', async () => {
    const err = await failure(() =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: 'there.txt', Body: 'y', IfNoneMatch: '*' }))
    );
    expect(err).toBeInstanceOf(S3Error);
    expect((err as S3Error).s3).toEqual({ code: 'PreconditionFailed', status: 412, attempts: 1 });
    expect(isPreconditionFailed(err)).toBe(true);
    expect(isConditionalConflict(err)).toBe(false);
    expect(isUnreachable(err)).toBe(false);
    // The same words in a message are not the answer of S3.
    expect(isPreconditionFailed(new EosError('Upstream', 'x', 'PreconditionFailed (HTTP 412): x'))).toBe(false);
  });

  it('a refused connection is unreachable, with its network code', async () => {
    const probe = net.createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>(resolve => probe.close(() => resolve()));
    const nowhere = testClient({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    const err = await failure(() => nowhere.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'y' })));
    nowhere.destroy();
    expect(err.code).toBe('Upstream');
    expect((err as S3Error).s3).toEqual({ network: 'ECONNREFUSED' });
    expect(isUnreachable(err)).toBe(true);
    expect(isPreconditionFailed(err)).toBe(false);
  });
});
