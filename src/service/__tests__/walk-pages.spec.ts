/**
 * A recursive walk asks for the next listing page while the objects of the
 * one it has are used (a download's files in flight never wait a round trip
 * between pages), and a local walk stats a folder's files together, keeping
 * their order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { EosStore } from '../engine/s3/store';
import { walkLocal } from '../engine/local/walk';
import { testConfig } from './harness';

it('asks for the next listing page before the objects of this one are used', async () => {
  const asked: (string | undefined)[] = [];
  const pages = [
    {
      Contents: [
        { Key: 'p/a', Size: 1 },
        { Key: 'p/b', Size: 1 }
      ],
      IsTruncated: true,
      NextContinuationToken: 't1'
    },
    { Contents: [{ Key: 'p/c', Size: 1 }], IsTruncated: true, NextContinuationToken: 't2' },
    { Contents: [{ Key: 'p/d', Size: 1 }], IsTruncated: false }
  ];
  const client = new S3Client({ region: 'us-east-1' });
  client.send = (async (command: ListObjectsV2Command) => {
    asked.push(command.input.ContinuationToken);
    return pages[asked.length - 1];
  }) as never;
  const store = new EosStore(client, testConfig().context!, 'a fake S3');
  const walk = store.walk('bucket', 'p/', 'e://org/p/');
  const first = await walk.next();
  expect(first.value).toMatchObject({ key: 'p/a' });
  // The first object is in hand: the second page is already asked for, not the third.
  expect(asked).toEqual([undefined, 't1']);
  const rest: string[] = [];
  for await (const o of walk) {
    rest.push(o.key);
  }
  expect(rest).toEqual(['p/b', 'p/c', 'p/d']);
  expect(asked).toEqual([undefined, 't1', 't2']);
});

it('walks a local folder in order, its files and subfolders where the directory lists them', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eos-walk-')));
  try {
    const names = Array.from({ length: 150 }, (_, i) => `f${i}`);
    names.forEach(n => fs.writeFileSync(path.join(root, n), n));
    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(path.join(root, 'sub', 'x'), 'xx');
    // The directory's own order (readdir sorts; opendir does not).
    const listed: string[] = [];
    for await (const d of await fs.promises.opendir(root)) {
      listed.push(d.name);
    }
    const order = listed.flatMap(n => (n === 'sub' ? ['sub/x'] : [n]));
    const seen: { rel: string; size?: number }[] = [];
    for await (const e of walkLocal(root, root)) {
      seen.push({ rel: e.rel, ...(e.kind === 'file' && { size: e.size }) });
    }
    expect(seen.map(e => e.rel)).toEqual(order);
    expect(seen.find(e => e.rel === 'f120')?.size).toBe(4);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

it('lists a range right from a server that ignores StartAfter', async () => {
  const keys = ['p/a', 'p/b', 'p/c', 'p/d', 'p/e'];
  const client = new S3Client({ region: 'us-east-1' });
  client.send = (async () => ({ Contents: keys.map(Key => ({ Key, Size: 1 })), IsTruncated: false })) as never;
  const store = new EosStore(client, testConfig().context!, 'a fake S3');
  const got: string[] = [];
  for await (const o of store.walkRange('bucket', 'p/', 'e://org/p/', { after: 'p/b', through: 'p/d' })) {
    got.push(o.key);
  }
  expect(got).toEqual(['p/c', 'p/d']);
});
