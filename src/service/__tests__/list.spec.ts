/**
 * GET /api/list against real S3 (moto): namespaces, users, folders, pages.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  Running,
  S3,
  createBucket,
  deletePrefix,
  dropBucket,
  listAll,
  putObjects,
  randomUUID,
  startService,
  testClient,
  testConfig,
  uniqueName,
  expectError
} from './harness';

const F = uniqueName('list');
const ORG = `shared/files/${F}/`;
const ME_PREFIX = `users/${S3.userId}/files/${F}/`;
const STRANGER = randomUUID();

let client: S3Client;
let svc: Running;

beforeAll(async () => {
  client = testClient();
  await putObjects(client, S3.orgBucket, {
    [ORG]: '', // the folder's own marker
    [`${ORG}b-folder/x.txt`]: 'x',
    [`${ORG}a-folder/y.txt`]: 'y',
    [`${ORG}z-folder/`]: '', // a folder that holds only its marker
    [`${ORG}1.txt`]: 'one',
    [`${ORG}c.txt`]: 'hello',
    [`${ORG}a-folder.txt`]: 'sorts between the folders',
    [`${ME_PREFIX}mine.txt`]: 'mine',
    [`users/${S3.userId}/scratch/${F}/s.txt`]: 'scratch is not EOS',
    [`users/${STRANGER}/files/${F}/theirs.txt`]: 'theirs',
    [`users/${F}-not-a-uuid/files/x.txt`]: 'not a user',
    [`shared/${F}-not-files.txt`]: 'outside shared/files/'
  });
  await putObjects(client, S3.gencoveBucket, {
    [`files/${F}/g.txt`]: 'gencove',
    [`${F}-outside.txt`]: 'outside files/'
  });
  svc = await startService();
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  await deletePrefix(client, S3.orgBucket, ME_PREFIX);
  await deletePrefix(client, S3.orgBucket, `users/${S3.userId}/scratch/${F}/`);
  await deletePrefix(client, S3.orgBucket, `users/${STRANGER}/`);
  await deletePrefix(client, S3.orgBucket, `users/${F}-not-a-uuid/`);
  await deletePrefix(client, S3.orgBucket, `shared/${F}`);
  await deletePrefix(client, S3.gencoveBucket, `files/${F}/`);
  await deletePrefix(client, S3.gencoveBucket, `${F}-`);
  client.destroy();
});

const list = (uri: string, extra: Record<string, string | number> = {}) => svc.get('/api/list', { uri, ...extra });
const names = (entries: { name: string }[]) => entries.map(e => e.name);

describe('e://', () => {
  it('lists the three namespaces without S3', async () => {
    const reply = await list('e://');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      uri: 'e://',
      access: 'read',
      next: null,
      entries: [
        { kind: 'folder', name: 'users', uri: 'e://users/', access: 'read' },
        { kind: 'folder', name: 'org', uri: 'e://org/', access: 'readwrite' },
        { kind: 'folder', name: 'gencove', uri: 'e://gencove/', access: 'read' }
      ]
    });
  });

  it('pages the namespaces too', async () => {
    const { pages } = await listAll(svc, 'e://', 2);
    expect(pages.map(names)).toEqual([['users', 'org'], ['gencove']]);
  });
});

describe('e://users/', () => {
  it('lists user-id folders: own as me, others read-only, other names ignored', async () => {
    const { entries } = await listAll(svc, 'e://users/', 1000);
    const me = entries.find(e => e.uri === 'e://users/me/');
    expect(me).toEqual({ kind: 'folder', name: 'me', uri: 'e://users/me/', access: 'readwrite' });
    const stranger = entries.find(e => e.name === STRANGER);
    expect(stranger).toEqual({ kind: 'folder', name: STRANGER, uri: `e://users/${STRANGER}/`, access: 'read' });
    expect(entries.some(e => e.name.includes('not-a-uuid'))).toBe(false);
    expect(entries.some(e => e.name === S3.userId)).toBe(false);
  });

  it("lists the user's own space, where only files/ is visible", async () => {
    const root = await list('e://users/me/');
    expect(root.status).toBe(200);
    expect(root.body.access).toBe('readwrite');
    expect(root.body.entries).toContainEqual({
      kind: 'folder',
      name: F,
      uri: `e://users/me/${F}/`,
      access: 'readwrite'
    });
    const folder = await list(`e://users/me/${F}/`);
    expect(names(folder.body.entries)).toEqual(['mine.txt']);
    expect(folder.body.entries[0]).toMatchObject({ uri: `e://users/me/${F}/mine.txt`, access: 'readwrite', size: 4 });
  });

  it("lists another user's space read-only", async () => {
    const reply = await list(`e://users/${STRANGER}/${F}/`);
    expect(reply.status).toBe(200);
    expect(reply.body.access).toBe('read');
    expect(reply.body.entries).toEqual([
      expect.objectContaining({
        kind: 'object',
        name: 'theirs.txt',
        uri: `e://users/${STRANGER}/${F}/theirs.txt`,
        access: 'read'
      })
    ]);
  });

  it('writes the own id as me', async () => {
    const reply = await list(`e://users/${S3.userId}/${F}/`);
    expect(reply.body.uri).toBe(`e://users/me/${F}/`);
    expect(reply.body.entries[0].uri).toBe(`e://users/me/${F}/mine.txt`);
  });
});

describe('a folder', () => {
  it('lists folders, then objects, skipping its own marker', async () => {
    const reply = await list(`e://org/${F}/`);
    expect(reply.status).toBe(200);
    expect(reply.body.uri).toBe(`e://org/${F}/`);
    expect(reply.body.access).toBe('readwrite');
    expect(reply.body.next).toBeNull();
    const entries = reply.body.entries;
    expect(entries.map((e: any) => [e.kind, e.name])).toEqual([
      ['folder', 'a-folder'],
      ['folder', 'b-folder'],
      ['folder', 'z-folder'],
      ['object', '1.txt'],
      ['object', 'a-folder.txt'],
      ['object', 'c.txt']
    ]);
    expect(entries[0]).toEqual({
      kind: 'folder',
      name: 'a-folder',
      uri: `e://org/${F}/a-folder/`,
      access: 'readwrite'
    });
    const c = entries[5];
    expect(c).toEqual({
      kind: 'object',
      name: 'c.txt',
      uri: `e://org/${F}/c.txt`,
      access: 'readwrite',
      size: 5,
      modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      storageClass: 'STANDARD'
    });
  });

  it('lists a URI without a trailing slash as the folder it names', async () => {
    const slash = await list(`e://org/${F}/`);
    const bare = await list(`e://org/${F}`);
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual(slash.body);
  });

  it('lists a folder that holds only its marker as empty', async () => {
    const reply = await list(`e://org/${F}/z-folder/`);
    expect(reply.status).toBe(200);
    expect(reply.body.entries).toEqual([]);
  });

  it('accepts s3:// URIs and answers with e:// URIs', async () => {
    const org = await list(`s3://${S3.orgBucket}/${ORG}`);
    expect(org.status).toBe(200);
    expect(org.body.uri).toBe(`e://org/${F}/`);
    const mine = await list(`s3://${S3.orgBucket}/${ME_PREFIX}`);
    expect(mine.body.uri).toBe(`e://users/me/${F}/`);
    const gencove = await list(`s3://${S3.gencoveBucket}/files/${F}/`);
    expect(gencove.body.entries[0].uri).toBe(`e://gencove/${F}/g.txt`);
  });

  it("answers an object's URI with 400: an object, not a folder", async () => {
    expectError(
      await list(`e://org/${F}/c.txt`),
      400,
      'InvalidRequest',
      `e://org/${F}/c.txt is an object, not a folder`
    );
  });

  it('answers 404 for a folder that does not exist', async () => {
    const reply = await list(`e://org/${F}/no-such-folder/`);
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ code: 'NotFound', message: `e://org/${F}/no-such-folder/ does not exist` });
  });
});

describe('namespaces', () => {
  it('e://org/ shows only shared/files/', async () => {
    const { entries } = await listAll(svc, 'e://org/', 1000);
    expect(entries).toContainEqual({ kind: 'folder', name: F, uri: `e://org/${F}/`, access: 'readwrite' });
    expect(entries.some(e => e.name.includes('not-files'))).toBe(false);
  });

  it('e://gencove/ is read-only and shows only files/', async () => {
    const { entries } = await listAll(svc, 'e://gencove/', 1000);
    expect(entries).toContainEqual({ kind: 'folder', name: F, uri: `e://gencove/${F}/`, access: 'read' });
    expect(entries.some(e => e.name.includes('outside'))).toBe(false);
    const folder = await list(`e://gencove/${F}/`);
    expect(folder.body.access).toBe('read');
    expect(folder.body.entries).toEqual([expect.objectContaining({ name: 'g.txt', access: 'read', size: 7 })]);
  });

  it('never shows keys outside files/: scratch and not-files are not EOS', async () => {
    const mine = await listAll(svc, 'e://users/me/', 1000);
    expect(mine.entries.some(e => e.name === 'scratch')).toBe(false);
    const scratch = await list(`s3://${S3.orgBucket}/users/${S3.userId}/scratch/${F}/`);
    expectError(scratch, 400, 'InvalidUri', 'outside EOS');
    const notFiles = await list(`s3://${S3.orgBucket}/shared/`);
    expect(notFiles.body.code).toBe('InvalidUri');
  });
});

describe('pagination', () => {
  const P = `${ORG}paged/`;
  const folders = ['f0', 'f3', 'f6', 'k1', 'k4', 'm2', 'm9'];
  const objects = ['f1.txt', 'f4.txt', 'g.txt', 'k0.txt', 'k5.txt', 'm0.txt', 'n.txt', 'o.txt', 'z.txt'];

  beforeAll(async () => {
    const keys: Record<string, string> = { [P]: '' };
    folders.forEach(f => (keys[`${P}${f}/inner.txt`] = f));
    objects.forEach(o => (keys[`${P}${o}`] = o));
    await putObjects(client, S3.orgBucket, keys);
  });

  it('walks every page with limit=2, losing and repeating nothing', async () => {
    const { pages, entries } = await listAll(svc, `e://org/${F}/paged/`, 2);
    expect(pages.length).toBeGreaterThanOrEqual(8);
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(2);
      // Within a page, folders come first.
      const kinds = page.map((e: any) => e.kind);
      expect(kinds).toEqual([...kinds].sort((a, b) => (a === b ? 0 : a === 'folder' ? -1 : 1)));
    }
    const uris = entries.map(e => e.uri);
    expect(new Set(uris).size).toBe(uris.length);
    expect(uris.sort()).toEqual(
      [...folders.map(f => `e://org/${F}/paged/${f}/`), ...objects.map(o => `e://org/${F}/paged/${o}`)].sort()
    );
  });

  it('gives the same entries in one page', async () => {
    const { pages, entries } = await listAll(svc, `e://org/${F}/paged/`, 1000);
    expect(pages).toHaveLength(1);
    expect(names(entries)).toEqual([...folders, ...objects]);
  });
});

describe('empty namespaces', () => {
  const bucket = uniqueName('eos-empty');
  let empty: Running;
  beforeAll(async () => {
    await createBucket(client, bucket);
    empty = await startService(testConfig({ orgBucket: bucket, gencoveBucket: bucket }));
  });
  afterAll(async () => {
    await empty.close();
    await dropBucket(client, bucket);
  });

  it.each(['e://org/', 'e://gencove/', 'e://users/me/', 'e://users/'])('lists %s empty without error', async uri => {
    const reply = await empty.get('/api/list', { uri });
    expect(reply.status).toBe(200);
    expect(reply.body.entries).toEqual([]);
    expect(reply.body.next).toBeNull();
  });

  it("answers 404 for another user's missing space and for missing folders", async () => {
    expect((await empty.get('/api/list', { uri: `e://users/${STRANGER}/` })).status).toBe(404);
    expect((await empty.get('/api/list', { uri: 'e://org/nothing/' })).status).toBe(404);
  });
});

describe('invalid requests', () => {
  it.each([
    ['e://x/', "Invalid namespace 'x'. Valid namespaces are: users, org, gencove"],
    ['e://users/bob/', "User id 'bob' is not a valid UUID (or 'me')"],
    ['/home/me/x', 'Path "/home/me/x" does not start with e://']
  ])('answers %s with 400 InvalidUri', async (uri, message) => {
    const reply = await list(uri);
    expectError(reply, 400, 'InvalidUri', message);
  });

  it('answers another bucket, not added as an S3 location, with 403 AccessDenied (issue 17)', async () => {
    expectError(await list('s3://some-other-bucket/x'), 403, 'AccessDenied', 'not an added S3 location');
  });

  it.each([
    [{ limit: 0 }, "Invalid 'limit': must be between 1 and 1000"],
    [{ limit: 1001 }, "Invalid 'limit': must be between 1 and 1000"],
    [{ limit: 'ten' }, "Invalid 'limit': must be a whole number"],
    [{ cursor: '' }, "Invalid 'cursor'"],
    [{ prefix: 'a/b' }, "Invalid 'prefix'"]
  ])('answers %j with 400 InvalidRequest naming the field', async (extra, message) => {
    const reply = await list(`e://org/${F}/`, extra);
    expectError(reply, 400, 'InvalidRequest', message);
  });

  it('ignores unknown query parameters (cache-busters, tokens added by a proxy)', async () => {
    const plain = await list(`e://org/${F}/`);
    const extra = await svc.request({
      path: `/api/list?uri=${encodeURIComponent(`e://org/${F}/`)}&_=1732540000&token=abc&token=def&curser=x`
    });
    expect(extra.status).toBe(200);
    expect(extra.body).toEqual(plain.body);
    expect((await svc.get('/api/whoami', { _: 1 })).status).toBe(200);
    expect((await svc.get('/api/disk', { token: 'x' })).status).toBe(200);
  });

  it('requires uri', async () => {
    const reply = await svc.get('/api/list');
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ code: 'InvalidRequest', message: "Invalid 'uri': is required" });
  });

  it('refuses a cursor that is not one', async () => {
    const reply = await list('e://', { cursor: 'abc' });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain("Invalid 'cursor'");
  });
});
