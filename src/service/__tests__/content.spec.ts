/**
 * GET api/content and PUT api/content/save: what the EOS drive of
 * JupyterLab's document manager opens and saves. Round trips are byte-exact,
 * saves are conditional (a change by another client is never overwritten),
 * big objects are refused naming the limit, read-only places before any S3 call.
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  Reply,
  S3,
  expectError,
  putObjects,
  saveContent,
  startService,
  testClient,
  testConfig,
  uniqueName,
  serviceSuite
} from './harness';

const F = uniqueName('content');
const ORG = `shared/files/${F}/`;
const GENCOVE = `files/${F}/`;

const t = serviceSuite({
  cleanup: [ORG, [S3.gencoveBucket, GENCOVE]],
  counting: true,
  seed: async client => {
    await putObjects(client, S3.gencoveBucket, { [`${GENCOVE}ref.txt`]: 'reference\n' });
  }
});

/** The object's bytes, read with the AWS SDK (not through the service). */
async function stored(bucket: string, key: string): Promise<Buffer> {
  const out = await t.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

const open = (uri: string, query: Record<string, string | number> = {}) => t.svc.get('/api/content', { uri, ...query });

const save = (uri: string, body: Buffer, etag?: string): Promise<Reply> => saveContent(t.svc, uri, body, etag);

it('creates, opens and saves text byte for byte', async () => {
  const uri = `e://org/${F}/notes é #1.txt`;
  const first = Buffer.from('line one\r\nlíne two ✓\n');
  const created = await save(uri, first);
  expect(created.status).toBe(200);
  expect(created.body).toMatchObject({ uri, size: first.length });
  expect(await stored(S3.orgBucket, `${ORG}notes é #1.txt`)).toEqual(first);

  const opened = await open(uri);
  expect(opened.status).toBe(200);
  expect(opened.body).toMatchObject({
    uri,
    name: 'notes é #1.txt',
    size: first.length,
    format: 'text',
    content: first.toString('utf8'),
    contentType: 'text/plain',
    access: 'readwrite',
    etag: created.body.etag
  });

  const second = Buffer.from('line one\r\nlíne two ✓\nthree\n');
  const saved = await save(uri, second, opened.body.etag);
  expect(saved.status).toBe(200);
  expect(saved.body.etag).not.toBe(opened.body.etag);
  expect(await stored(S3.orgBucket, `${ORG}notes é #1.txt`)).toEqual(second);
});

it('round-trips a notebook and a binary file exactly', async () => {
  const notebook = Buffer.from(
    JSON.stringify(
      {
        cells: [{ cell_type: 'code', source: 'print("hi ✓")', metadata: {}, outputs: [], execution_count: null }],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5
      },
      null,
      1
    ) + '\n'
  );
  const nbUri = `e://org/${F}/analysis.ipynb`;
  expect((await save(nbUri, notebook)).status).toBe(200);
  const nb = await open(nbUri, { format: 'text' });
  expect(nb.body.contentType).toBe('application/x-ipynb+json');
  expect(Buffer.from(nb.body.content, 'utf8')).toEqual(notebook);
  expect(await stored(S3.orgBucket, `${ORG}analysis.ipynb`)).toEqual(notebook);

  const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]), randomBytes(100000)]);
  const binUri = `e://org/${F}/image.png`;
  const created = await save(binUri, binary);
  expect(created.status).toBe(200);
  expect(await stored(S3.orgBucket, `${ORG}image.png`)).toEqual(binary);
  const read = await open(binUri);
  expect(read.body.format).toBe('base64');
  expect(Buffer.from(read.body.content, 'base64')).toEqual(binary);
  // Asked as text, bytes that are not UTF-8 are refused rather than mangled.
  expectError(await open(binUri, { format: 'text' }), 400, 'InvalidRequest', 'not UTF-8');

  const changed = Buffer.from(binary);
  changed[10] ^= 0xff;
  expect((await save(binUri, changed, read.body.etag)).status).toBe(200);
  expect(await stored(S3.orgBucket, `${ORG}image.png`)).toEqual(changed);
});

it('refuses a save when another client changed the object since it was opened', async () => {
  const uri = `e://org/${F}/shared.tsv`;
  await putObjects(t.client, S3.orgBucket, { [`${ORG}shared.tsv`]: 'a\tb\n1\t2\n' });
  const opened = await open(uri);
  const theirs = Buffer.from('a\tb\n1\t2\n3\t4\n');
  await t.client.send(
    new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}shared.tsv`, Body: theirs, ContentLength: theirs.length })
  );
  const refused = await save(uri, Buffer.from('mine\n'), opened.body.etag);
  expectError(refused, 409, 'Conflict', 'changed by someone else');
  expect(await stored(S3.orgBucket, `${ORG}shared.tsv`)).toEqual(theirs);

  // A new file over one that exists is refused too.
  expectError(await save(uri, Buffer.from('new\n')), 409, 'Conflict', 'already exists');
  expect(await stored(S3.orgBucket, `${ORG}shared.tsv`)).toEqual(theirs);

  // Saved at the ETag it now has, it goes through.
  const again = await open(uri, { content: 'false' });
  expect(again.body.content).toBeNull();
  expect((await save(uri, Buffer.from('mine\n'), again.body.etag)).status).toBe(200);
  expect((await stored(S3.orgBucket, `${ORG}shared.tsv`)).toString()).toBe('mine\n');
});

it('refuses an object above the limit, naming the limit', async () => {
  await putObjects(t.client, S3.orgBucket, { [`${ORG}big.vcf`]: Buffer.alloc(5000, 'x') });
  const refused = await open(`e://org/${F}/big.vcf`, { limit: 4096 });
  expectError(refused, 413, 'PayloadTooLarge', 'above the 4096 bytes limit');
  expect(refused.body.message).toContain('5000 bytes');
  // The facts alone are not limited.
  const facts = await open(`e://org/${F}/big.vcf`, { limit: 4096, content: 'false' });
  expect(facts.body).toMatchObject({ size: 5000, content: null, format: null });
  expect((await open(`e://org/${F}/big.vcf`, { limit: 5000 })).status).toBe(200);
});

it('opens read-only objects and refuses saving them before any S3 call', async () => {
  const opened = await open(`e://gencove/${F}/ref.txt`);
  expect(opened.body).toMatchObject({ access: 'read', content: 'reference\n' });
  t.calls.length = 0;
  const refused = await save(`e://gencove/${F}/ref.txt`, Buffer.from('changed\n'), opened.body.etag);
  expectError(refused, 403, 'ReadOnly', 'e://gencove/ is read-only');
  const stranger = await save(`e://users/0b7e0a3c-4f5d-4e6a-8b9c-1d2e3f405162/x.txt`, Buffer.from('x'));
  expectError(stranger, 403, 'ReadOnly', 'belongs to another user');
  expect(t.calls).toEqual([]);
  expect((await stored(S3.gencoveBucket, `${GENCOVE}ref.txt`)).toString()).toBe('reference\n');
});

it('refuses folders, missing objects and bad parameters clearly', async () => {
  expectError(await open(`e://org/${F}/`), 400, 'InvalidRequest', 'is a folder');
  expectError(await open(`e://org/${F}/missing.txt`), 404, 'NotFound');
  expectError(await open(`e://org/${F}/a.txt`, { format: 'utf8' }), 400, 'InvalidRequest', "'format'");
  expectError(await save(`e://org/${F}/sub/`, Buffer.from('x')), 400, 'InvalidRequest', 'is a folder');
});

it('keeps checkpoints in memory, not in S3, and restores them', async () => {
  const uri = `e://org/${F}/checkpointed.txt`;
  await putObjects(t.client, S3.orgBucket, { [`${ORG}checkpointed.txt`]: 'version 1\n' });
  const created = await t.svc.post('/api/checkpoints/change', { uri, action: 'create' });
  expect(created.status).toBe(200);
  expect(created.body.checkpoints).toHaveLength(1);
  const listed = await t.svc.get('/api/checkpoints', { uri });
  expect(listed.body).toEqual(created.body);
  const opened = await open(uri);
  await save(uri, Buffer.from('version 2\n'), opened.body.etag);
  const keys = (await t.svc.get('/api/list', { uri: `e://org/${F}/` })).body.entries.map((e: any) => e.name);
  expect(keys.filter((k: string) => k.includes('checkpointed'))).toEqual(['checkpointed.txt']);
  const id = created.body.checkpoints[0].id;
  expect((await t.svc.post('/api/checkpoints/change', { uri, action: 'restore', id })).status).toBe(200);
  expect((await stored(S3.orgBucket, `${ORG}checkpointed.txt`)).toString()).toBe('version 1\n');
  const deleted = await t.svc.post('/api/checkpoints/change', { uri, action: 'delete', id });
  expect(deleted.body.checkpoints).toEqual([]);
});

it('reads again an object another client rewrites between the HEAD and the GET', async () => {
  // The service's client writes a new version just before its first GET goes out,
  // so that GET (pinned to the HEAD's ETag) fails and the read starts over.
  const key = `${ORG}busy.txt`;
  await putObjects(t.client, S3.orgBucket, { [key]: 'first version\n' });
  const racing = testClient();
  let rewrites = 0;
  racing.middlewareStack.add(
    next => async args => {
      const input = (args as { input: { Key?: string; IfMatch?: string } }).input;
      if (input.IfMatch !== undefined && input.Key === key && rewrites === 0) {
        rewrites++;
        await t.client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: 'second version\n' }));
      }
      return next(args);
    },
    { step: 'initialize', name: 'rewriteBeforeGet' }
  );
  const svc = await startService(testConfig(), { s3Client: racing });
  try {
    const opened = await svc.get('/api/content', { uri: `e://org/${F}/busy.txt` });
    expect(rewrites).toBe(1);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ content: 'second version\n', size: 15 });
    const checkpoint = await svc.post('/api/checkpoints/change', { uri: `e://org/${F}/busy.txt`, action: 'create' });
    expect(checkpoint.status).toBe(200);
  } finally {
    await svc.close();
    racing.destroy();
  }
});
