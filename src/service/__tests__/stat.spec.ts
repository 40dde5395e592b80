/**
 * GET /api/stat: objects, folders (marked, implicit, roots) and missing paths.
 */
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  RestoreObjectCommand
} from '@aws-sdk/client-s3';
import {
  S3,
  createBucket,
  expectError,
  putObjects,
  startService,
  testConfig,
  uniqueName,
  serviceSuite
} from './harness';

const F = uniqueName('stat');
const ORG = `shared/files/${F}/`;

const t = serviceSuite({
  cleanup: [ORG],
  seed: async client => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}marked/`]: '',
      [`${ORG}implicit/inside.txt`]: 'x'
    });
    await client.send(
      new PutObjectCommand({
        Bucket: S3.orgBucket,
        Key: `${ORG}data.json`,
        Body: '{"a":1}',
        ContentType: 'application/json'
      })
    );
    await client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}cold.bam`, Body: 'BAM', StorageClass: 'GLACIER' })
    );
  }
});

const stat = (uri: string) => t.svc.get('/api/stat', { uri });

it('describes an object', async () => {
  const reply = await stat(`e://org/${F}/data.json`);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    kind: 'object',
    name: 'data.json',
    uri: `e://org/${F}/data.json`,
    access: 'readwrite',
    size: 7,
    modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    storageClass: 'STANDARD',
    etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    contentType: 'application/json'
  });
});

it('reports the storage class in stat and list alike', async () => {
  const reply = await stat(`e://org/${F}/cold.bam`);
  expect(reply.body.storageClass).toBe('GLACIER');
  const listing = await t.svc.get('/api/list', { uri: `e://org/${F}/` });
  expect(listing.body.entries.find((e: any) => e.name === 'cold.bam').storageClass).toBe('GLACIER');
});

it.each([
  [`e://org/${F}/marked/`, `e://org/${F}/marked/`],
  [`e://org/${F}/marked`, `e://org/${F}/marked/`],
  [`e://org/${F}/implicit/`, `e://org/${F}/implicit/`],
  [`e://org/${F}/implicit`, `e://org/${F}/implicit/`]
])('describes the folder %s', async (uri, canonical) => {
  const reply = await stat(uri);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    kind: 'folder',
    name: canonical.split('/').slice(-2)[0],
    uri: canonical,
    access: 'readwrite'
  });
});

it.each([
  ['e://', { name: '', uri: 'e://', access: 'read' }],
  ['e://users/', { name: 'users', uri: 'e://users/', access: 'read' }],
  ['e://users/me/', { name: 'me', uri: 'e://users/me/', access: 'readwrite' }],
  ['e://org/', { name: 'org', uri: 'e://org/', access: 'readwrite' }],
  ['e://gencove/', { name: 'gencove', uri: 'e://gencove/', access: 'read' }]
])('describes the root %s', async (uri, expected) => {
  const reply = await stat(uri);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ kind: 'folder', ...expected });
});

it('answers 404 for a missing object', async () => {
  const reply = await stat(`e://org/${F}/missing.txt`);
  expectError(reply, 404, 'NotFound');
  expect(reply.body.message).toBe(`No such object: e://org/${F}/missing.txt`);
});

it('answers 404 for a missing folder', async () => {
  const reply = await stat(`e://org/${F}/missing/`);
  expect(reply.status).toBe(404);
  expect(reply.body.message).toBe(`e://org/${F}/missing/ does not exist`);
});

it('accepts s3:// URIs and answers with e:// URIs', async () => {
  const reply = await stat(`s3://${S3.orgBucket}/${ORG}data.json`);
  expect(reply.status).toBe(200);
  expect(reply.body.uri).toBe(`e://org/${F}/data.json`);
});

describe('metadata', () => {
  it('reports content headers and user metadata', async () => {
    await t.client.send(
      new PutObjectCommand({
        Bucket: S3.orgBucket,
        Key: `${ORG}meta.csv.gz`,
        Body: 'gz',
        ContentType: 'text/csv',
        ContentEncoding: 'gzip',
        CacheControl: 'max-age=60',
        Metadata: { sample: 'S1', 'run-id': '42' }
      })
    );
    const reply = await stat(`e://org/${F}/meta.csv.gz`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      contentType: 'text/csv',
      contentEncoding: 'gzip',
      cacheControl: 'max-age=60',
      metadata: { sample: 'S1', 'run-id': '42' },
      storageClass: 'STANDARD',
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/)
    });
    expect(reply.body.versionId).toBeUndefined();
    expect(reply.body.restore).toBeUndefined();
  });

  it('reports the restore status of an archived object', async () => {
    await t.client.send(
      new RestoreObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}cold.bam`, RestoreRequest: { Days: 1 } })
    );
    const reply = await stat(`e://org/${F}/cold.bam`);
    expect(reply.body.storageClass).toBe('GLACIER');
    expect(reply.body.restore).toMatch(/ongoing-request="(true|false)"/);
  });

  it('reports the version of an object in a versioned bucket', async () => {
    const bucket = uniqueName('eos-versioned');
    await createBucket(t.client, bucket);
    try {
      await t.client.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })
      );
      const put = await t.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'files/v.txt', Body: 'v1' }));
      const versioned = await startService(testConfig({ gencoveBucket: bucket }));
      try {
        const reply = await versioned.get('/api/stat', { uri: 'e://gencove/v.txt' });
        expect(reply.status).toBe(200);
        expect(reply.body.versionId).toBe(put.VersionId);
      } finally {
        await versioned.close();
      }
    } finally {
      await t.client.send(new ListObjectVersionsCommand({ Bucket: bucket })).then(async v => {
        for (const o of v.Versions ?? []) {
          await t.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key!, VersionId: o.VersionId }));
        }
      });
      await t.client.send(new DeleteBucketCommand({ Bucket: bucket }));
    }
  });
});
