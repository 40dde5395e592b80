/**
 * POST /api/mkdir: a folder marker, never over an object or folder, never in
 * a read-only place or at a root (refused before any S3 call).
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3, expectError, putObjects, uniqueName, serviceSuite } from './harness';

const F = uniqueName('mkdir');
const ORG = `shared/files/${F}/`;
const STRANGER = '0b7e0a3c-4f5d-4e6a-8b9c-1d2e3f405162';

const t = serviceSuite({
  cleanup: [ORG, `users/${S3.userId}/files/${F}`],
  counting: true,
  seed: async client => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}file`]: 'an object',
      [`${ORG}implicit/inside.txt`]: 'x',
      [`${ORG}marked/`]: ''
    });
  }
});

const mkdir = (uri: string) => t.svc.post('/api/mkdir', { uri });

it('creates a zero-byte marker and answers the folder entry', async () => {
  const reply = await mkdir(`e://org/${F}/new`);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ kind: 'folder', name: 'new', uri: `e://org/${F}/new/`, access: 'readwrite' });
  const head = await t.client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}new/` }));
  expect(head.ContentLength).toBe(0);
  const listed = await t.svc.get('/api/list', { uri: `e://org/${F}/` });
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
  const stat = await t.svc.get('/api/stat', { uri: `e://users/me/${name}/` });
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
  const before = t.calls.length;
  expectError(await mkdir(uri), status, code);
  expect(t.calls.slice(before)).toEqual([]);
});
