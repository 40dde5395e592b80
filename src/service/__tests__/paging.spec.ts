/**
 * Big folders and tricky shapes: 2,500 objects and 1,500 sub-folders paged
 * with nothing lost or repeated, name prefixes, a key that is both an object
 * and a folder, a folder marker among other keys. Runs on moto and versitygw
 * (jest.config.js).
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  Running,
  S3,
  VERSITYGW,
  VERSITYGW_LACKS,
  deletePrefix,
  expectError,
  itExceptOn,
  listAll,
  putMany,
  putObjects,
  startService,
  testClient,
  uniqueName
} from './harness';

const F = uniqueName('paging');
const ORG = `shared/files/${F}/`;
const BIG = `${ORG}big/`;
const OBJECTS = 2500;
const FOLDERS = 1500;
const objectName = (i: number) => `obj-${String(i).padStart(5, '0')}.txt`;
const folderName = (i: number) => `dir-${String(i).padStart(5, '0')}`;

let client: S3Client;
let svc: Running;

beforeAll(async () => {
  client = testClient();
  await putMany(client, S3.orgBucket, OBJECTS + FOLDERS, i =>
    i < OBJECTS ? BIG + objectName(i) : `${BIG}${folderName(i - OBJECTS)}/inside.txt`
  );
  await putObjects(client, S3.orgBucket, {
    [`${ORG}shapes/a`]: 'object a',
    // `a` is an object and a folder at once: not on versitygw (VERSITYGW_LACKS.objectAndFolder).
    ...(VERSITYGW ? {} : { [`${ORG}shapes/a/b`]: 'object a/b' }),
    [`${ORG}shapes/marked/`]: '',
    [`${ORG}shapes/marked/x.txt`]: 'x',
    [`${ORG}shapes/marked/sub/y.txt`]: 'y',
    [`${ORG}names/apple.txt`]: '1',
    [`${ORG}names/apricot/`]: '',
    [`${ORG}names/apricot/in.txt`]: '2',
    [`${ORG}names/banana.txt`]: '3',
    [`${ORG}names/Apple.txt`]: '4',
    [`${ORG}names/a+b c.txt`]: '5'
  });
  svc = await startService();
}, 300000);

afterAll(async () => {
  await svc?.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
}, 300000);

describe('a folder of 2,500 objects and 1,500 folders', () => {
  const expected = [
    ...Array.from({ length: FOLDERS }, (_, i) => `e://org/${F}/big/${folderName(i)}/`),
    ...Array.from({ length: OBJECTS }, (_, i) => `e://org/${F}/big/${objectName(i)}`)
  ];

  it.each([1000, 333])('pages with limit %d, losing and repeating nothing', async limit => {
    const { pages, entries } = await listAll(svc, `e://org/${F}/big/`, limit);
    expect(pages.length).toBe(Math.ceil((OBJECTS + FOLDERS) / limit));
    const uris = entries.map(e => e.uri);
    expect(new Set(uris).size).toBe(uris.length);
    expect(uris.sort()).toEqual([...expected].sort());
  });

  it('narrows to a name prefix across pages', async () => {
    const reply = await listAllWith(`e://org/${F}/big/`, 400, 'obj-01');
    expect(reply.map(e => e.name)).toEqual(Array.from({ length: 1000 }, (_, i) => objectName(1000 + i)));
    const dirs = await listAllWith(`e://org/${F}/big/`, 1000, 'dir-0149');
    expect(dirs.map(e => e.uri)).toEqual(
      Array.from({ length: 10 }, (_, i) => `e://org/${F}/big/${folderName(1490 + i)}/`)
    );
  });
});

describe('name prefixes', () => {
  it('keeps only entries whose name starts with the prefix, case-sensitively', async () => {
    expect((await listAllWith(`e://org/${F}/names/`, 1000, 'ap')).map(e => e.name)).toEqual(['apricot', 'apple.txt']);
    expect((await listAllWith(`e://org/${F}/names/`, 1000, 'A')).map(e => e.name)).toEqual(['Apple.txt']);
    expect((await listAllWith(`e://org/${F}/names/`, 1000, 'a+b ')).map(e => e.name)).toEqual(['a+b c.txt']);
  });

  it('answers an existing folder with no match as empty, a missing one as 404', async () => {
    const none = await svc.get('/api/list', { uri: `e://org/${F}/names/`, prefix: 'zzz' });
    expect(none.status).toBe(200);
    expect(none.body.entries).toEqual([]);
    expectError(await svc.get('/api/list', { uri: `e://org/${F}/nothing/`, prefix: 'a' }), 404, 'NotFound');
  });

  it("refuses a prefix containing '/'", async () => {
    expectError(
      await svc.get('/api/list', { uri: `e://org/${F}/names/`, prefix: 'apricot/' }),
      400,
      'InvalidRequest',
      "'prefix'"
    );
  });

  it('filters the namespaces too', async () => {
    const reply = await svc.get('/api/list', { uri: 'e://', prefix: 'g' });
    expect(reply.body.entries.map((e: any) => e.uri)).toEqual(['e://gencove/']);
  });
});

describe('shapes', () => {
  itExceptOn('versitygw', VERSITYGW_LACKS.objectAndFolder)(
    'lists a key that is both an object and a folder as both',
    async () => {
      const { entries } = await listAll(svc, `e://org/${F}/shapes/`, 1000);
      expect(entries.map(e => [e.kind, e.uri])).toEqual([
        ['folder', `e://org/${F}/shapes/a/`],
        ['folder', `e://org/${F}/shapes/marked/`],
        ['object', `e://org/${F}/shapes/a`]
      ]);
      const inside = await listAll(svc, `e://org/${F}/shapes/a/`, 1000);
      expect(inside.entries.map(e => e.uri)).toEqual([`e://org/${F}/shapes/a/b`]);
    }
  );

  itExceptOn('versitygw', VERSITYGW_LACKS.objectAndFolder)('stats the object for a, the folder for a/', async () => {
    const object = await svc.get('/api/stat', { uri: `e://org/${F}/shapes/a` });
    expect(object.body).toMatchObject({ kind: 'object', size: 8 });
    const folder = await svc.get('/api/stat', { uri: `e://org/${F}/shapes/a/` });
    expect(folder.body).toMatchObject({ kind: 'folder', uri: `e://org/${F}/shapes/a/` });
  });

  it('lists a non-empty folder with a marker without showing the marker', async () => {
    const { entries } = await listAll(svc, `e://org/${F}/shapes/marked/`, 1);
    expect(entries.map(e => e.uri)).toEqual([`e://org/${F}/shapes/marked/sub/`, `e://org/${F}/shapes/marked/x.txt`]);
  });
});

/** Every entry of a listing narrowed to a name prefix. */
async function listAllWith(uri: string, limit: number, prefix: string): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string | number> = { uri, limit, prefix };
    if (cursor) {
      query.cursor = cursor;
    }
    const reply = await svc.get('/api/list', query);
    expect(reply.status).toBe(200);
    entries.push(...reply.body.entries);
    cursor = reply.body.next;
  } while (cursor);
  return entries;
}
