/**
 * POST /api/mkdir: a folder marker, never over an object or folder, never in
 * a read-only place or at a root (refused before any S3 call).
 */
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  Running,
  S3,
  countingClient,
  deletePrefix,
  expectError,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName
} from './harness';

const F = uniqueName('mkdir');
const ORG = `shared/files/${F}/`;
const STRANGER = '0b7e0a3c-4f5d-4e6a-8b9c-1d2e3f405162';

let client: S3Client;
let svc: Running;
let calls: string[];

beforeAll(async () => {
  client = testClient();
  await putObjects(client, S3.orgBucket, {
    [`${ORG}file`]: 'an object',
    [`${ORG}implicit/inside.txt`]: 'x',
    [`${ORG}marked/`]: ''
  });
  const counting = countingClient();
  calls = counting.calls;
  svc = await startService(testConfig(), { s3Client: counting.client });
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  await deletePrefix(client, S3.orgBucket, `users/${S3.userId}/files/${F}`);
  client.destroy();
});

const mkdir = (uri: string) => svc.post('/api/mkdir', { uri });

it('creates a zero-byte marker and answers the folder entry', async () => {
  const reply = await mkdir(`e://org/${F}/new`);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ kind: 'folder', name: 'new', uri: `e://org/${F}/new/`, access: 'readwrite' });
  const head = await client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}new/` }));
  expect(head.ContentLength).toBe(0);
  const listed = await svc.get('/api/list', { uri: `e://org/${F}/` });
  expect(listed.body.entries).toContainEqual({
    kind: 'folder',
    name: 'new',
    uri: `e://org/${F}/new/`,
    access: 'readwrite'
  });
});

it('creates folders with odd names in the own space', async () => {
  const name = `${F} cr\r+%#?`;
  const reply = await mkdir(`e://users/me/${name}/`);
  expect(reply.status).toBe(200);
  expect(reply.body.uri).toBe(`e://users/me/${name}/`);
  const stat = await svc.get('/api/stat', { uri: `e://users/me/${name}/` });
  expect(stat.body.kind).toBe('folder');
});

it.each([
  ['an existing marked folder', 'marked/', 'already exists'],
  ['an existing implicit folder', 'implicit', 'already exists'],
  ['an object of that name', 'file/', 'already exists as a file']
])('refuses %s with 409 Conflict', async (_what, name, message) => {
  const reply = await mkdir(`e://org/${F}/${name}`);
  expectError(reply, 409, 'Conflict', message);
});

it('refuses a second mkdir of the same folder', async () => {
  expect((await mkdir(`e://org/${F}/twice`)).status).toBe(200);
  expectError(await mkdir(`e://org/${F}/twice/`), 409, 'Conflict');
});

it.each([
  ['e://gencove/x/', 403, 'ReadOnly'],
  [`e://users/${STRANGER}/x/`, 403, 'ReadOnly'],
  ['e://', 403, 'ReadOnly'],
  ['e://users/', 403, 'ReadOnly'],
  ['e://org/', 400, 'InvalidRequest'],
  ['e://users/me/', 400, 'InvalidRequest'],
  ['e://nope/x', 400, 'InvalidUri']
])('refuses %s before any S3 call', async (uri, status, code) => {
  const before = calls.length;
  expectError(await mkdir(uri), status, code);
  expect(calls.slice(before)).toEqual([]);
});
