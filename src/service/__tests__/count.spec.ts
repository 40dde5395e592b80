/**
 * POST /api/count: exact objects and bytes under URIs, folders counted.
 */
import { S3, expectError, putObjects, uniqueName, serviceSuite } from './harness';

const F = uniqueName('count');
const ORG = `shared/files/${F}/`;

const t = serviceSuite({
  cleanup: [ORG],
  counting: true,
  seed: async client => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}dir/`]: '',
      [`${ORG}dir/a.txt`]: 'aaaa',
      [`${ORG}dir/sub/b.txt`]: 'bb',
      [`${ORG}dir/sub/ctl\x01.txt`]: 'c',
      [`${ORG}both`]: 'object both',
      [`${ORG}both/inside`]: 'inside',
      [`${ORG}solo.txt`]: '12345'
    });
  }
});

const count = (uris: string[]) => t.svc.post('/api/count', { uris });

it('counts a folder recursively, its marker included', async () => {
  const reply = await count([`e://org/${F}/dir/`]);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ objects: 4, bytes: 7, folders: 1, more: false });
});

it('counts an object as itself, and a URI without a slash naming a folder as that folder', async () => {
  expect((await count([`e://org/${F}/solo.txt`])).body).toEqual({ objects: 1, bytes: 5, folders: 0, more: false });
  expect((await count([`e://org/${F}/dir`])).body).toEqual({ objects: 4, bytes: 7, folders: 1, more: false });
});

it('tells the object from the folder of the same name', async () => {
  expect((await count([`e://org/${F}/both`])).body).toEqual({ objects: 1, bytes: 11, folders: 0, more: false });
  expect((await count([`e://org/${F}/both/`])).body).toEqual({ objects: 1, bytes: 6, folders: 1, more: false });
});

it('adds several URIs up, each once', async () => {
  const reply = await count([`e://org/${F}/dir/`, `e://org/${F}/solo.txt`, `e://org/${F}/solo.txt`]);
  expect(reply.body).toEqual({ objects: 5, bytes: 12, folders: 1, more: false });
});

it('answers 404 for a URI that names nothing', async () => {
  expectError(await count([`e://org/${F}/missing`]), 404, 'NotFound');
});

it.each(['e://', 'e://users/'])('refuses %s before any S3 call', async uri => {
  const before = t.calls.length;
  expectError(await count([uri]), 400, 'InvalidRequest');
  expect(t.calls.slice(before)).toEqual([]);
});

it.each([
  [{ uris: [] }, "Invalid 'uris'"],
  [{ uris: 'e://org/' }, "Invalid 'uris'"],
  [{ uris: ['e://org/'], extra: 1 }, "unknown field 'extra'"]
])('validates the body %j strictly', async (body, message) => {
  expectError(await t.svc.post('/api/count', body), 400, 'InvalidRequest', message);
});
