/**
 * A folder listed in ranges split at names known beforehand (a sync's other
 * side) gives what one walk gives, in the same order: whatever the names
 * (some not in the folder, some missing, names past a page apart, keys above
 * U+FFFF), when they arrive late, and when a range fails. A sync of 2,600
 * files plans on such a listing. Runs on moto and versitygw (jest.config.js).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { EosError, compareKeys } from '../../core';
import { Engine } from '../engine';
import { EosStore } from '../engine/s3/store';
import { WalkedObject } from '../engine/s3/listing';
import { SplitWalk, splitPoints, walkSplit } from '../engine/s3/splitwalk';
import { S3, deletePrefix, putMany, testClient, testConfig, uniqueName } from './harness';
import { s3Proxy, tempRoot } from './transfer-helpers';

const F = uniqueName('splitwalk');
const DIR = `shared/files/${F}/many/`;
const COUNT = 2600;
// Names in one folder level (versitygw lists a folder's own files in byte order), some of them
// with characters JavaScript's `<` would put in another order than S3 does.
const ODD = ['😀 smile.txt', '\uff21-fullwidth.txt', '\ue000-private.txt', 'a+b c.txt', 'é.txt', 'zz/inner.txt'];
const names = [...Array.from({ length: COUNT - ODD.length }, (_, i) => `f${String(i).padStart(5, '0')}.bin`), ...ODD];

let client: S3Client;
let proxy: Awaited<ReturnType<typeof s3Proxy>>;
let store: EosStore;
let plain: string[];

const listed = (requests: { url: string }[]) => requests.filter(r => r.url.includes('list-type=2'));
const startingAfter = (requests: { url: string }[]) => listed(requests).filter(r => r.url.includes('start-after='));

function split(known: Promise<Iterable<string>> | undefined, extra: Partial<SplitWalk<string>> = {}) {
  const take = (o: WalkedObject) => o.key.slice(DIR.length);
  return walkSplit(store, { bucket: S3.orgBucket, prefix: DIR, uri: `e://org/${F}/many/`, known, take, ...extra });
}

beforeAll(async () => {
  client = testClient();
  await putMany(client, S3.orgBucket, names.length, i => DIR + names[i]);
  proxy = await s3Proxy();
  const proxied = testClient({ endpoint: proxy.url });
  store = new EosStore(proxied, testConfig().context!, 'the test S3');
  plain = [];
  for await (const o of store.walk(S3.orgBucket, DIR, `e://org/${F}/many/`)) {
    plain.push(o.key.slice(DIR.length));
  }
}, 300000);

afterAll(async () => {
  await proxy?.close();
  await deletePrefix(client, S3.orgBucket, `shared/files/${F}/`);
  client.destroy();
});

beforeEach(() => {
  proxy.requests.length = 0;
});

it('lists every object once, in S3 order (code point order, not UTF-16)', () => {
  expect(plain).toHaveLength(COUNT);
  expect([...plain].sort(compareKeys)).toEqual(plain);
  expect(new Set(plain).size).toBe(COUNT);
});

it('gives what one walk gives when every name is known, in ranges listed at once', async () => {
  const got = await split(Promise.resolve([...names].reverse()), { pageKeys: 500 });
  expect(got).toEqual(plain);
  // 2,600 names, a range of 500 each: the running walk stops at the first split, five more ranges.
  expect(startingAfter(proxy.requests)).toHaveLength(5);
  expect(listed(proxy.requests)).toHaveLength(6);
});

it('asks for no page past the end of a range', async () => {
  // Ranges of a page each (1,000 names): every range is one page, which ends at the next split.
  const got = await split(Promise.resolve(names));
  expect(got).toEqual(plain);
  expect(listed(proxy.requests)).toHaveLength(3);
  expect(startingAfter(proxy.requests)).toHaveLength(2);
});

it('gives what one walk gives when the names are partly wrong', async () => {
  // Every seventh name, names the folder does not hold, before, among and after its own.
  const known = [...names.filter((_, i) => i % 7 === 0), '0-first', 'f00100.bin.x', 'f01234x', '\u{10ffff}', 'zzzz'];
  const got = await split(Promise.resolve(known), { pageKeys: 30 });
  expect(got).toEqual(plain);
  expect(startingAfter(proxy.requests).length).toBeGreaterThan(5);
});

it('follows a range past a page when the names are far apart', async () => {
  // Two names 2,400 objects apart: the middle range takes three pages.
  const got = await split(Promise.resolve([names[10], names[2450], names[2500]]), { pageKeys: 1 });
  expect(got).toEqual(plain);
  const tokens = listed(proxy.requests).filter(r => r.url.includes('continuation-token='));
  expect(tokens.length).toBeGreaterThanOrEqual(2);
});

it('lists from the first key alone when the names come after the listing ended', async () => {
  let arrive!: (names: string[]) => void;
  const late = new Promise<string[]>(resolve => (arrive = resolve));
  const got = await split(late, { pageKeys: 100 });
  arrive(names);
  expect(got).toEqual(plain);
  expect(startingAfter(proxy.requests)).toHaveLength(0);
  expect(await split(undefined)).toEqual(plain);
});

it('ends with the first failure, the other ranges stopped', async () => {
  const failAt = (name: string) => (o: WalkedObject) => {
    if (o.key.endsWith(name)) {
      throw new EosError('PayloadTooLarge', `enough at ${name}`);
    }
    return o.key;
  };
  // In a range, and in the walk from the first key.
  await expect(split(Promise.resolve(names), { pageKeys: 200, take: failAt('f02000.bin') })).rejects.toThrow(
    'enough at f02000.bin'
  );
  // 130 ranges of 20 names, eight listed at once: when it fails, none is still being listed.
  const counted = Object.create(store) as EosStore;
  let pages = 0;
  let pending = 0;
  counted.s3 = (where, call, options) => {
    pages++;
    pending++;
    return store.s3(where, call, options).finally(() => pending--);
  };
  const failing = walkSplit(counted, {
    bucket: S3.orgBucket,
    prefix: DIR,
    uri: `e://org/${F}/many/`,
    known: Promise.resolve(names),
    take: failAt('f00000.bin'),
    pageKeys: 20
  });
  await expect(failing).rejects.toThrow('enough at f00000.bin');
  expect(pending).toBe(0);
  const asked = pages;
  await new Promise(resolve => setTimeout(resolve, 300));
  expect(pages).toBe(asked);
  expect(asked).toBeLessThan(40);
});

it('splits at every n-th name beyond what is listed, in S3 order', () => {
  const known = ['d', 'a', '\u{1f600}', '\uff21', 'c', 'b', 'e'];
  expect(splitPoints(known, 'p/', undefined, 2)).toEqual(['p/b', 'p/d', 'p/\uff21']);
  expect(splitPoints(known, 'p/', 'p/b', 2)).toEqual(['p/d', 'p/\uff21']);
  expect(splitPoints(known, 'p/', 'p/b', 5)).toEqual([]);
  // Names without units from U+D800 up take the built-in sort.
  expect(splitPoints(['d', 'a', 'c', 'b', 'e', 'B'], 'p/', undefined, 2)).toEqual(['p/a', 'p/c']);
  expect(splitPoints(['d', 'a', 'c', 'b', 'e'], 'p/', 'p/b', 2)).toEqual(['p/d']);
});

it('plans a sync of 2,600 files on the ranged listing', async () => {
  const root = tempRoot();
  // The listing's first page waits 2 s: the local walk (which gives the names) has ended by then.
  const slow = Object.create(store) as EosStore;
  slow.walkRange = async function* (...args: Parameters<EosStore['walkRange']>) {
    if (args[3].after === undefined) {
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
    yield* store.walkRange(...args);
  };
  const engine = new Engine(slow, { rootDir: root });
  try {
    // Three objects with no local file, four files with no object, the rest the same on both sides
    // (the bytes putMany wrote, older than the objects).
    const past = new Date('2020-01-01T00:00:00Z');
    const local = new Map([...names.entries()].slice(3).map(([i, name]) => [name, `object ${i}`]));
    ['new-1.bin', 'new-2.bin', 'new-3.bin', 'new-4.bin'].forEach(name => local.set(name, 'new'));
    for (const [name, text] of local) {
      const file = path.join(root, 'many', name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      fs.utimesSync(file, past, past);
    }
    const plan = await engine.syncPlan({ source: 'many', destination: `e://org/${F}/many/`, delete: true });
    expect(startingAfter(proxy.requests).length).toBeGreaterThan(0);
    expect(plan.copy).toEqual(
      ['new-1.bin', 'new-2.bin', 'new-3.bin', 'new-4.bin'].map(p => ({ path: p, size: 3, reason: 'new' }))
    );
    expect(plan.delete.map(d => d.path).sort()).toEqual(names.slice(0, 3).sort());
    expect(plan.unchanged).toBe(COUNT - 3);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

it('stops listing the EOS folder when the local side of a sync fails', async () => {
  const root = tempRoot();
  fs.mkdirSync(path.join(root, 'out'));
  fs.symlinkSync('/etc/hostname', path.join(root, 'out', 'link'));
  // A listing that only ends when its signal fires.
  let stoppedWith: unknown;
  const waiting = Object.create(store) as EosStore;
  waiting.walkRange = async function* (...args: Parameters<EosStore['walkRange']>) {
    const signal = args[4]!;
    await new Promise(resolve => signal.addEventListener('abort', resolve, { once: true }));
    stoppedWith = signal.reason;
    yield* [];
  };
  try {
    const plan = new Engine(waiting, { rootDir: root }).syncPlan({ source: 'out', destination: `e://org/${F}/many/` });
    await expect(plan).rejects.toMatchObject({ code: 'OutsideRoot' });
    expect(stoppedWith).toMatchObject({ code: 'OutsideRoot' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
