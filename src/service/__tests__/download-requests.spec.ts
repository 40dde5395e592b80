/**
 * A folder of small files costs one request per file (issue 18): its
 * listing gives each object's size and ETag, so each file is one GET (its
 * stored checksum in the answer), with no HEAD first; and files go into the
 * folder the download makes whole and byte-exact.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Running, S3, deletePrefix, startService, testClient, testConfig, uniqueName } from './harness';
import { localTree, s3Proxy, tempRoot, transfer } from './transfer-helpers';

const F = uniqueName('requests');
const COUNT = 30;
let client: S3Client;
let proxy: Awaited<ReturnType<typeof s3Proxy>>;
let root: string;
let svc: Running;

beforeAll(async () => {
  client = testClient();
  for (let i = 0; i < COUNT; i++) {
    const Key = `shared/files/${F}/small/f${i}.txt`;
    await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key, Body: `file ${i}\n`.repeat(i + 1) }));
  }
  proxy = await s3Proxy();
  root = tempRoot();
  svc = await startService(testConfig({ rootDir: root }), { s3Client: testClient({ endpoint: proxy.url }) });
});

afterAll(async () => {
  await svc.close();
  await proxy.close();
  await deletePrefix(client, S3.orgBucket, `shared/files/${F}/`);
  fs.rmSync(root, { recursive: true, force: true });
});

it('downloads a folder of small files with one GET each and no HEAD', async () => {
  const before = proxy.requests.length;
  const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/small/`], destination: '' });
  expect(job.state).toBe('done');
  const requests = proxy.requests.slice(before).filter(r => r.url.includes(`/${F}/`) || r.url.includes(F));
  const gets = requests.filter(r => r.method === 'GET' && !r.url.includes('list-type'));
  expect(requests.filter(r => r.method === 'HEAD')).toEqual([]);
  expect(gets).toHaveLength(COUNT);
  expect(new Set(gets.map(r => r.url)).size).toBe(COUNT);
  expect(localTree(path.join(root, 'small'))).toHaveLength(COUNT);
  expect(fs.readFileSync(path.join(root, 'small', 'f7.txt'), 'utf8')).toBe('file 7\n'.repeat(8));
});
