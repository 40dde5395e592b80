/**
 * S3 failures as the user sees them: missing bucket, access denied,
 * unreachable endpoint, no credentials.
 */
import * as net from 'node:net';
import { DeleteBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import {
  Running,
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
  beforeAll(async () => {
    await createBucket(client, bucket);
    await putObjects(client, bucket, { 'shared/files/secret.bam': 'secret' });
    // moto enforces explicit Deny statements on object requests.
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:GetObject', 's3:HeadObject'],
          Resource: `arn:aws:s3:::${bucket}/*`
        }
      ]
    });
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
    svc = await startService(testConfig({ orgBucket: bucket }));
  });
  afterAll(async () => {
    await svc.close();
    await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await dropBucket(client, bucket);
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
