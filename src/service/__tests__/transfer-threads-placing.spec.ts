/**
 * A download thread's GETs posted together: each places its file or fails
 * alone, a cancel reaches them all, a name already taken is left to the main
 * thread, and a whole file whose bytes do not match the CRC64NVME its GET
 * answered is refused on the thread, placing nothing.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { EosError } from '../../core';
import { GetWorkers } from '../engine/transfer/threads';
import { getFile } from '../engine/transfer/getfile';
import { S3, until } from './harness';
import { crcOf, crcToBase64 } from '../engine/s3/crc';
import { bodyChecksumFields } from '../engine/s3/checksums';
import { localTree, s3Proxy, sha256 } from './transfer-helpers';
import {
  F,
  ORG,
  SMALL,
  client,
  engine,
  lentThreads,
  noBytes,
  root,
  task,
  threadsOf,
  threadsSuite
} from './threads-fixture';

threadsSuite();
// The threads start with a first transfer; these tests post to them directly.
beforeAll(() => threadsOf(engine).warm());

describe('a download thread', () => {
  it('runs GETs posted together, each placing its file or failing alone', async () => {
    await until(() => threadsOf(engine).ready());
    const dir = path.join(root, 'together');
    fs.mkdirSync(dir);
    // Posted in one turn of the loop: one message to each thread. The fourth names no object.
    const gets = SMALL.map((body, i) =>
      threadsOf(engine).fetch(
        task({ key: `${ORG}many/sub/${i === 3 ? 'none' : `f${i}`}.txt`, length: body.length, shown: `f${i}.txt` }),
        {
          path: path.join(dir, `.f${i}.partial`),
          create: true,
          setTimes: true,
          place: { final: path.join(dir, `f${i}.txt`), how: 'new' }
        },
        noBytes,
        new AbortController().signal
      )
    );
    const results = await Promise.allSettled(gets);
    for (const [i, result] of results.entries()) {
      if (i === 3) {
        expect(result).toMatchObject({ status: 'rejected', reason: { code: 'NotFound' } });
        continue;
      }
      expect(result).toMatchObject({ status: 'fulfilled', value: { placed: path.join(dir, `f${i}.txt`) } });
      expect(sha256(fs.readFileSync(path.join(dir, `f${i}.txt`)))).toBe(sha256(SMALL[i]));
    }
    // The failed one's temporary file is the caller's to remove (getFile does); no other is left.
    expect(localTree(dir).filter(n => n.startsWith('.'))).toEqual(['.f3.partial']);
  });

  it('cancels GETs posted together with their cancel: each fails as cancelled, none is placed', async () => {
    await until(() => threadsOf(engine).ready());
    const dir = path.join(root, 'cancelled-together');
    fs.mkdirSync(dir);
    const controller = new AbortController();
    setMaxListeners(2 * SMALL.length, controller.signal);
    const gets = SMALL.map((body, i) =>
      threadsOf(engine).fetch(
        task({ key: `${ORG}many/sub/f${i}.txt`, length: body.length, shown: `f${i}.txt` }),
        {
          path: path.join(dir, `.f${i}.partial`),
          create: true,
          setTimes: true,
          place: { final: path.join(dir, `f${i}.txt`), how: 'overwrite' }
        },
        noBytes,
        controller.signal
      )
    );
    controller.abort(new EosError('Upstream', 'The operation was cancelled'));
    const results = await Promise.allSettled(gets);
    expect(results.every(r => r.status === 'rejected' && /cancelled/.test(String(r.reason?.message)))).toBe(true);
    expect(localTree(dir).filter(n => !n.startsWith('.'))).toEqual([]);
  });

  it('leaves a name already taken to the main thread, which places the file beside it', async () => {
    await until(() => threadsOf(engine).ready());
    const dir = path.join(root, 'taken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'f5.txt'), 'mine');
    const before = threadsOf(engine).fetched;
    const base = {
      bucket: S3.orgBucket,
      key: `${ORG}many/sub/f5.txt`,
      uri: `e://org/${F}/many/sub/f5.txt`,
      size: SMALL[5].length,
      final: path.join(dir, 'f5.txt'),
      shown: 'taken/f5.txt'
    };
    // Checksums off: the thread has nothing to compare, so it places the file itself where it can.
    const options = { ...engine.options, verifyChecksums: false };
    const signal = new AbortController().signal;
    const beside = await getFile(engine.store, { ...base, place: 'keep-both' }, options, noBytes, signal);
    expect(beside).toBe(path.join(dir, 'f5 (1).txt'));
    await expect(getFile(engine.store, { ...base, place: 'new' }, options, noBytes, signal)).rejects.toMatchObject({
      code: 'Conflict'
    });
    const fresh = await getFile(
      engine.store,
      { ...base, final: path.join(dir, 'g.txt'), place: 'new' },
      options,
      noBytes,
      signal
    );
    expect(fresh).toBe(path.join(dir, 'g.txt'));
    expect(threadsOf(engine).fetched - before).toBe(3);
    expect(fs.readFileSync(path.join(dir, 'f5.txt'), 'utf8')).toBe('mine');
    expect(sha256(fs.readFileSync(beside))).toBe(sha256(SMALL[5]));
    expect(sha256(fs.readFileSync(fresh))).toBe(sha256(SMALL[5]));
    expect(localTree(dir)).toEqual(['f5 (1).txt', 'f5.txt', 'g.txt']);
  });

  it('fails a whole file whose bytes do not match the CRC64NVME its GET answered, placing nothing', async () => {
    const body = randomBytes(3000);
    const key = `${ORG}crc/small64.bin`;
    const crc64 = crcToBase64('CRC64NVME', await crcOf('CRC64NVME', body));
    await client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: body, ...bodyChecksumFields('CRC64NVME', crc64) })
    );
    // One byte of the body flipped on its way to the thread (its GETs go through the proxy).
    const flipper = await s3Proxy((req, chunk, at) => {
      if (req.method === 'GET' && req.url.includes('/crc/') && at <= 10 && at + chunk.length > 10) {
        chunk[10 - at] ^= 0x40;
      }
      return chunk;
    });
    const threads = lentThreads(
      async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing', clockOffsetMs: 0 }),
      flipper.url
    );
    const dir = path.join(root, 'flipped');
    fs.mkdirSync(dir);
    const fetch = (on: GetWorkers) =>
      on.fetch(
        task({ key, length: body.length, shown: 'small64.bin', checksum: true }),
        {
          path: path.join(dir, '.small64.partial'),
          create: true,
          setTimes: true,
          crc: 'CRC64NVME',
          place: { final: path.join(dir, 'small64.bin'), how: 'overwrite' }
        },
        noBytes,
        new AbortController().signal
      );
    try {
      await threads.whenReady();
      await expect(fetch(threads)).rejects.toMatchObject({
        code: 'Upstream',
        message: expect.stringContaining("do not match the object's checksum (crc64nvme ")
      });
      expect(localTree(dir)).toEqual(['.small64.partial']);
    } finally {
      await threads.close();
      await flipper.close();
    }
    // Straight from S3 the same GET matches: the thread places the file.
    fs.rmSync(path.join(dir, '.small64.partial'));
    await until(() => threadsOf(engine).ready());
    const placed = await fetch(threadsOf(engine));
    expect(placed.placed).toBe(path.join(dir, 'small64.bin'));
    expect(localTree(dir)).toEqual(['small64.bin']);
    expect(sha256(fs.readFileSync(path.join(dir, 'small64.bin')))).toBe(sha256(body));
  });
});
