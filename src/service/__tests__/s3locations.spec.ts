/**
 * S3 locations outside EOS (issue 17): a bucket of its own plays "another
 * bucket the instance's role can read" (and, unsigned, a public bucket).
 * Listing, HEAD, Peek, downloads, copies into EOS (server-side when signed,
 * streamed when unsigned or when CopyObject is refused); writes refused; a
 * location not added refused before any S3 call. Runs on moto and versitygw.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  Running,
  S3,
  VERSITYGW,
  countingClient,
  createBucket,
  deletePrefix,
  dropBucket,
  expectError,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob
} from './harness';
import { objectBytes, openUploads, sha256, tempRoot, transfer } from './transfer-helpers';
import { createS3Client } from '../engine/s3/client';
import { listPage } from '../engine/s3/listing';

const MiB = 1024 * 1024;
const OTHER = uniqueName('other');
const F = uniqueName('s3loc');
const ORG = `shared/files/${F}/`;
const SAMPLE = Buffer.from(Array.from({ length: 200 }, (_, i) => `sample-${i}\tchr1\t${i * 100}\n`).join(''));
const OBJECTS: Record<string, Buffer> = {
  'phase3/samples.tsv': SAMPLE,
  'phase3/sub/b.txt': Buffer.from('beta'),
  'phase3/c.vcf': Buffer.from('##fileformat=VCFv4.2\n#CHROM\tPOS\nchr1\t10\n'),
  'elsewhere/x.txt': Buffer.from('not in the location')
};
const LOCATION = `s3://${OTHER}/phase3/`;

let client: S3Client;
let root: string;
let svc: Running;
let calls: string[];

/** A client that refuses CopyObject as S3 does when the credentials may not read the source. */
function refusingCopies(): { client: S3Client; calls: string[] } {
  const counting = countingClient();
  counting.client.middlewareStack.add(
    (next, context) => async args => {
      if (context.commandName === 'CopyObjectCommand') {
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      }
      return next(args);
    },
    { step: 'initialize', name: 'eosTestRefuseCopy' }
  );
  return counting;
}

beforeAll(async () => {
  client = testClient();
  await createBucket(client, OTHER);
  for (const [key, body] of Object.entries(OBJECTS)) {
    await client.send(
      new PutObjectCommand({
        Bucket: OTHER,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: key.endsWith('.tsv') ? 'text/tab-separated-values' : undefined
      })
    );
  }
  root = tempRoot();
  const counting = countingClient();
  calls = counting.calls;
  svc = await startService(testConfig({ rootDir: root }), { s3Client: counting.client });
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  await dropBucket(client, OTHER);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

const setLocations = (locations: { uri: string; sign: boolean }[], on: Running = svc) =>
  on.post('/api/locations', { locations });

describe('adding locations', () => {
  it('refuses a location not added, before any S3 call', async () => {
    await setLocations([]);
    calls.length = 0;
    expectError(await svc.get('/api/list', { uri: LOCATION }), 403, 'AccessDenied', 'not an added S3 location');
    expectError(await svc.get('/api/stat', { uri: `${LOCATION}samples.tsv` }), 403, 'AccessDenied');
    expect(calls).toEqual([]);
  });

  it('refuses an EOS bucket and malformed URIs, keeping the list it had', async () => {
    await setLocations([{ uri: LOCATION, sign: true }]);
    expectError(
      await setLocations([{ uri: `s3://${S3.orgBucket}/shared/`, sign: true }]),
      400,
      'InvalidUri',
      'holds EOS'
    );
    expectError(await setLocations([{ uri: 'e://org/', sign: true }]), 400, 'InvalidUri');
    expectError(await svc.post('/api/locations', { locations: [{ uri: LOCATION }] }), 400, 'InvalidRequest');
    const kept = await setLocations([{ uri: `s3://${OTHER}/phase3`, sign: true }]);
    expect(kept.body).toEqual({ locations: [{ uri: LOCATION, sign: true }] });
  });

  it('keeps a location to its prefix: a sibling prefix of the bucket stays refused', async () => {
    await setLocations([{ uri: LOCATION, sign: true }]);
    expectError(await svc.get('/api/list', { uri: `s3://${OTHER}/elsewhere/` }), 403, 'AccessDenied');
  });
});

describe('reading a location (signed)', () => {
  beforeAll(async () => {
    await setLocations([{ uri: LOCATION, sign: true }]);
  });

  it('lists one level, read-only, with s3:// URIs', async () => {
    const reply = await svc.get('/api/list', { uri: LOCATION });
    expect(reply.status).toBe(200);
    expect(reply.body.uri).toBe(LOCATION);
    expect(reply.body.access).toBe('read');
    expect(reply.body.entries.map((e: any) => [e.kind, e.name, e.uri, e.access])).toEqual([
      ['folder', 'sub', `${LOCATION}sub/`, 'read'],
      ['object', 'c.vcf', `${LOCATION}c.vcf`, 'read'],
      ['object', 'samples.tsv', `${LOCATION}samples.tsv`, 'read']
    ]);
  });

  it('HEADs an object and peeks at its first lines', async () => {
    const stat = await svc.get('/api/stat', { uri: `${LOCATION}samples.tsv` });
    expect(stat.body).toMatchObject({ kind: 'object', size: SAMPLE.length, access: 'read' });
    const head = await svc.get('/api/head', { uri: `${LOCATION}samples.tsv`, lines: 2 });
    expect(head.status).toBe(200);
    expect(head.body.lines).toEqual(['sample-0\tchr1\t0', 'sample-1\tchr1\t100']);
  });

  it('downloads to the local disk, byte-exact', async () => {
    fs.mkdirSync(path.join(root, 'down'));
    const job = await transfer(svc, { kind: 'download', sources: [`${LOCATION}samples.tsv`], destination: 'down' });
    expect(job).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
    expect(sha256(fs.readFileSync(path.join(root, 'down', 'samples.tsv')))).toBe(sha256(SAMPLE));
  });

  it('copies into EOS server-side: CopyObject, never a GET of the body', async () => {
    calls.length = 0;
    const started = await svc.post('/api/copy', { sources: [LOCATION + 'sub/'], destination: `e://org/${F}/signed/` });
    expect(started.status).toBe(200);
    expect(await waitJob(svc, started.body.id)).toMatchObject({ state: 'done', objects: { done: 1 } });
    expect(calls).toContain('CopyObjectCommand');
    expect(calls).not.toContain('GetObjectCommand');
    expect((await objectBytes(client, S3.orgBucket, `${ORG}signed/sub/b.txt`)).toString()).toBe('beta');
  });

  it('refuses every write into the location, before any S3 call', async () => {
    calls.length = 0;
    expectError(await svc.post('/api/mkdir', { uri: `${LOCATION}new/` }), 403, 'ReadOnly', 'outside EOS are read-only');
    expectError(
      await svc.post('/api/copy', { sources: [`e://org/${F}/signed/`], destination: `${LOCATION}in/` }),
      403,
      'ReadOnly'
    );
    expectError(await svc.post('/api/delete', { uris: [`${LOCATION}c.vcf`] }), 403, 'ReadOnly');
    expectError(
      await svc.post('/api/copy', { sources: [`${LOCATION}c.vcf`], destination: `e://org/${F}/`, move: true }),
      403,
      'ReadOnly'
    );
    expectError(
      await svc.post('/api/transfer', { kind: 'upload', sources: ['down/samples.tsv'], destination: LOCATION }),
      403,
      'ReadOnly'
    );
    expect(calls).toEqual([]);
  });
});

describe('when S3 refuses the CopyObject', () => {
  it('streams the object through the service instead', async () => {
    const refusing = refusingCopies();
    const other = await startService(testConfig({ rootDir: root }), { s3Client: refusing.client });
    try {
      await setLocations([{ uri: LOCATION, sign: true }], other);
      const started = await other.post('/api/copy', {
        sources: [`${LOCATION}samples.tsv`],
        destination: `e://org/${F}/refused/`
      });
      const job = await waitJob(other, started.body.id);
      expect(job.error).toBeUndefined();
      expect(job).toMatchObject({ state: 'done', objects: { done: 1 }, bytes: { done: SAMPLE.length } });
      expect(refusing.calls).toEqual(
        expect.arrayContaining(['CopyObjectCommand', 'GetObjectCommand', 'PutObjectCommand'])
      );
      expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}refused/samples.tsv`))).toBe(sha256(SAMPLE));
    } finally {
      await other.close();
      refusing.client.destroy();
    }
  });
});

describe('a public bucket read unsigned', () => {
  beforeAll(async () => {
    // Anonymous reads of an object need a bucket policy letting anyone read (moto and versitygw check it, as S3 does).
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          // moto checks a HEAD as the action s3:HeadObject, which IAM does not know (versitygw refuses it).
          Action: ['s3:GetObject', 's3:ListBucket', ...(VERSITYGW ? [] : ['s3:HeadObject'])],
          Resource: [`arn:aws:s3:::${OTHER}`, `arn:aws:s3:::${OTHER}/*`]
        }
      ]
    };
    await client.send(new PutBucketPolicyCommand({ Bucket: OTHER, Policy: JSON.stringify(policy) }));
    await setLocations([{ uri: LOCATION, sign: false }]);
  });

  it('lists it through the unsigned client, never the signed one', async () => {
    calls.length = 0;
    const reply = await svc.get('/api/list', { uri: LOCATION });
    expect(reply.status).toBe(200);
    expect(reply.body.entries.map((e: any) => e.name)).toEqual(['sub', 'c.vcf', 'samples.tsv']);
    expect(calls).toEqual([]);
  });

  it('sends requests without a signature or credentials (aws --no-sign-request)', async () => {
    const unsigned = createS3Client(testConfig(), { unsigned: true });
    const sent: Record<string, string>[] = [];
    unsigned.middlewareStack.add(
      next => async args => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'deserialize', name: 'eosTestSeeRequest' }
    );
    try {
      const page = await listPage(
        unsigned,
        { Bucket: OTHER, Prefix: 'phase3/', Delimiter: '/' },
        AbortSignal.timeout(30000)
      );
      expect((page.Contents ?? []).map(o => o.Key)).toEqual(['phase3/c.vcf', 'phase3/samples.tsv']);
      expect(sent).toHaveLength(1);
      const names = Object.keys(sent[0]).map(h => h.toLowerCase());
      expect(names).not.toContain('authorization');
      expect(names).not.toContain('x-amz-security-token');
    } finally {
      unsigned.destroy();
    }
  });

  it('copies into EOS by streaming (CopyObject is always signed)', async () => {
    calls.length = 0;
    const started = await svc.post('/api/copy', {
      sources: [`${LOCATION}samples.tsv`],
      destination: `e://org/${F}/unsigned/`
    });
    expect(started.body.message).toBeUndefined();
    expect(await waitJob(svc, started.body.id)).toMatchObject({ state: 'done', bytes: { done: SAMPLE.length } });
    expect(calls).not.toContain('CopyObjectCommand');
    expect(calls).toContain('PutObjectCommand');
    expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}unsigned/samples.tsv`))).toBe(sha256(SAMPLE));
  });

  it('streams an object above the part size in parts, byte-exact, leaving no multipart upload', async () => {
    const big = randomBytes(6 * MiB + 123);
    await client.send(
      new PutObjectCommand({ Bucket: OTHER, Key: 'phase3/big.bin', Body: big, ContentLength: big.length })
    );
    const small = await startService(testConfig({ rootDir: root }), { engine: { partSize: 5 * MiB } });
    try {
      await setLocations([{ uri: LOCATION, sign: false }], small);
      const started = await small.post('/api/copy', {
        sources: [`${LOCATION}big.bin`],
        destination: `e://org/${F}/parts/`
      });
      expect(await waitJob(small, started.body.id)).toMatchObject({ state: 'done', bytes: { done: big.length } });
      const copied = await objectBytes(client, S3.orgBucket, `${ORG}parts/big.bin`);
      expect(sha256(copied)).toBe(sha256(big));
      expect(await openUploads(client, S3.orgBucket, ORG)).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('downloads byte-exact', async () => {
    fs.mkdirSync(path.join(root, 'public'));
    const job = await transfer(svc, { kind: 'download', sources: [`${LOCATION}samples.tsv`], destination: 'public' });
    expect(job.state).toBe('done');
    expect(sha256(fs.readFileSync(path.join(root, 'public', 'samples.tsv')))).toBe(sha256(SAMPLE));
  });

  it('has no presigned URL', async () => {
    expectError(await svc.post('/api/presign', { uri: `${LOCATION}c.vcf` }), 400, 'InvalidRequest', 'without signing');
  });
});
