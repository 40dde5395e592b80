/**
 * Key names real organizations end up with: each must list, stat and
 * presign as itself, with nothing escaped, normalised or lost. Runs on moto
 * and versitygw (jest.config.js).
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  Running,
  S3,
  VERSITYGW,
  VERSITYGW_LACKS,
  deletePrefix,
  itExceptOn,
  listAll,
  asListed,
  putObjects,
  startService,
  testClient,
  uniqueName
} from './harness';

const N = uniqueName('names');
const PREFIX = `shared/files/${N}/`;

const NAMES = [
  'with space.txt',
  '  leading spaces.txt',
  'percent%20literal.txt',
  '100% done.txt',
  '%',
  'hash#tag.txt',
  'question?mark.txt',
  'plus+sign.txt',
  'amp&ersand=eq.txt',
  'quote"double.txt',
  "apostrophe's.txt",
  '<angle>.txt',
  'back\\slash.txt',
  'semi;colon,comma:colon@at$dollar~tilde[1].txt',
  'unicode-\u00fcn\u00efc\u00f8d\u00e9-\u65e5\u672c.txt',
  'emoji-\u{1F9EC}.txt',
  'caf\u00e9.txt', // NFC
  'cafe\u0301.txt', // NFD: a different key that looks the same
  'trailing-dot.',
  'trailing space ',
  'a'.repeat(200) + '.txt',
  // Control characters: XML 1.0 cannot carry them verbatim (a CR even comes
  // back as LF), so listings ask S3 for URL-encoded keys.
  'cr\rx.txt',
  'lf\nx.txt',
  'crlf\r\nx.txt',
  'tab\tx.txt',
  'ctl\x01x.txt',
  'esc\x1bx.txt',
  'del\x7fx.txt',
  'trailing-cr\r'
];

// The names as a listing shows them: on versitygw with U+FFFD for control characters (VERSITYGW_LACKS.encodedListing).
const LISTED = new Map(NAMES.map(name => [asListed(name), name]));
// A key with an empty segment, and the folder it makes (VERSITYGW_LACKS.emptySegment: not on versitygw).
const DOUBLE = VERSITYGW ? [] : ['double//slash.txt'];
const FOLDERS = VERSITYGW ? [] : ['double'];

let client: S3Client;
let svc: Running;

/** Each object's body is its own name, so a mix-up shows. */
beforeAll(async () => {
  client = testClient();
  const objects: Record<string, string> = {};
  for (const name of NAMES) {
    objects[PREFIX + name] = `body of ${name}`;
  }
  for (const name of DOUBLE) {
    objects[PREFIX + name] = `body of ${name}`;
  }
  await putObjects(client, S3.orgBucket, objects);
  svc = await startService();
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, PREFIX);
  client.destroy();
});

const uriOf = (name: string) => `e://org/${N}/${name}`;

it('lists every name exactly as stored, NFC and NFD apart', async () => {
  const { entries } = await listAll(svc, `e://org/${N}/`, 1000);
  const objects = entries.filter(e => e.kind === 'object');
  expect(objects.map(e => e.name).sort()).toEqual([...LISTED.keys()].sort());
  for (const e of objects) {
    expect(e.uri).toBe(uriOf(e.name));
    expect(e.size).toBe(Buffer.byteLength(`body of ${LISTED.get(e.name)}`));
  }
  expect(entries.filter(e => e.kind === 'folder').map(e => e.uri)).toEqual(FOLDERS.map(f => `e://org/${N}/${f}/`));
});

it('pages through odd names one at a time without losses', async () => {
  const { entries } = await listAll(svc, `e://org/${N}/`, 1);
  expect(entries.map(e => e.name).sort()).toEqual([...LISTED.keys(), ...FOLDERS].sort());
});

itExceptOn('versitygw', VERSITYGW_LACKS.emptySegment)('walks an empty path segment (a//b)', async () => {
  const first = await svc.get('/api/list', { uri: `e://org/${N}/double/` });
  expect(first.body.entries).toEqual([{ kind: 'folder', name: '', uri: `e://org/${N}/double//`, access: 'readwrite' }]);
  const second = await svc.get('/api/list', { uri: `e://org/${N}/double//` });
  expect(second.body.entries).toEqual([
    expect.objectContaining({ kind: 'object', name: 'slash.txt', uri: `e://org/${N}/double//slash.txt` })
  ]);
});

it.each([...NAMES, ...DOUBLE])('stats and presigns %j', async name => {
  const stat = await svc.get('/api/stat', { uri: uriOf(name) });
  expect(stat.status).toBe(200);
  expect(stat.body).toMatchObject({ kind: 'object', uri: uriOf(name), size: Buffer.byteLength(`body of ${name}`) });

  const signed = await svc.post('/api/presign', { uri: uriOf(name) });
  expect(signed.status).toBe(200);
  const res = await fetch(signed.body.url);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(`body of ${name}`);
});

it('decodes query strings encoded with encodeURIComponent, as browsers send them', async () => {
  for (const name of ['plus+sign.txt', 'with space.txt', 'percent%20literal.txt', 'hash#tag.txt']) {
    const reply = await svc.request({ path: `/api/stat?uri=${encodeURIComponent(uriOf(name))}` });
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe(name);
  }
});
