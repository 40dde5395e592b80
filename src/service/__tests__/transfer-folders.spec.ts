/**
 * Folders both ways: 1,000 small files, and names S3 and the disk hold
 * verbatim (spaces, unicode, `#`, `?`, `%`, a line feed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Running, S3, deletePrefix, keysUnder, startService, testClient, testConfig, uniqueName } from './harness';
import { localTree, objectBytes, tempRoot, transfer } from './transfer-helpers';

const F = uniqueName('xdir');
const ORG = `shared/files/${F}/`;
const N = 1000;
const ODD = [
  'sp ace.txt',
  'ünï cödé ✓.txt',
  'h#sh.txt',
  'q?mark.txt',
  'pct%41%2F.txt',
  'new\nline.txt',
  'plus+sign.txt'
];

let client: S3Client;
let root: string;
let svc: Running;

/** `many/d3/f-0042.txt` for i = 42 (ten sub-folders). */
const fileOf = (i: number) => `d${i % 10}/f-${String(i).padStart(4, '0')}.txt`;

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  for (let i = 0; i < N; i++) {
    const file = path.join(root, 'many', fileOf(i));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `file ${i}`);
  }
  fs.mkdirSync(path.join(root, 'many', 'empty'));
  fs.mkdirSync(path.join(root, 'odd'));
  for (const name of ODD) {
    fs.writeFileSync(path.join(root, 'odd', name), `content of ${name}`);
  }
  svc = await startService(testConfig({ rootDir: root }));
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

it('uploads a folder of 1,000 small files (and an empty folder as its marker)', async () => {
  const job = await transfer(svc, { kind: 'upload', sources: ['many'], destination: `e://org/${F}/` }, 170000);
  expect(job).toMatchObject({ state: 'done', objects: { done: N, total: N } });
  const keys = await keysUnder(client, S3.orgBucket, `${ORG}many/`);
  const expected = [...Array.from({ length: N }, (_, i) => `${ORG}many/${fileOf(i)}`), `${ORG}many/empty/`];
  expect(keys.sort()).toEqual(expected.sort());
  for (const i of [0, 517, N - 1]) {
    expect((await objectBytes(client, S3.orgBucket, `${ORG}many/${fileOf(i)}`)).toString()).toBe(`file ${i}`);
  }
}, 180000);

it('downloads it back: the same tree, the same bytes', async () => {
  fs.mkdirSync(path.join(root, 'back'));
  const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/many/`], destination: 'back' }, 170000);
  expect(job).toMatchObject({ state: 'done', objects: { done: N, total: N } });
  expect(localTree(path.join(root, 'back', 'many'))).toEqual(localTree(path.join(root, 'many')));
  for (let i = 0; i < N; i++) {
    expect(fs.readFileSync(path.join(root, 'back', 'many', fileOf(i)), 'utf8')).toBe(`file ${i}`);
  }
}, 180000);

it('keeps odd names verbatim both ways', async () => {
  const up = await transfer(svc, { kind: 'upload', sources: ['odd'], destination: `e://org/${F}/names/` });
  expect(up).toMatchObject({ state: 'done', objects: { done: ODD.length, total: ODD.length } });
  const keys = await keysUnder(client, S3.orgBucket, `${ORG}names/odd/`);
  expect(keys.sort()).toEqual(ODD.map(n => `${ORG}names/odd/${n}`).sort());
  fs.mkdirSync(path.join(root, 'odd-back'));
  const down = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/names/odd/`], destination: 'odd-back' });
  expect(down).toMatchObject({ state: 'done', objects: { done: ODD.length, total: ODD.length } });
  expect(fs.readdirSync(path.join(root, 'odd-back', 'odd')).sort()).toEqual([...ODD].sort());
  for (const name of ODD) {
    expect(fs.readFileSync(path.join(root, 'odd-back', 'odd', name), 'utf8')).toBe(`content of ${name}`);
  }
});
