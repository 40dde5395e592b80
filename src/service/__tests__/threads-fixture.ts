/**
 * What the transfer-threads specs share: objects seeded under a folder of
 * their own (a 12 MiB one in ranges, 24 small ones, an empty one among
 * them), the worker bundle built as the package builds it, and a service
 * whose engine runs its GETs and PUTs on two threads of that bundle
 * (`threadsSuite`, called at a spec's top). The bindings below are set by
 * its `beforeAll`.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Engine } from '../engine';
import { GET_WORKER_BUNDLE, GetWorkers } from '../engine/transfer/threads';
import { RangeTask } from '../engine/transfer/getrange';
import { createS3Client } from '../engine/s3/client';
import { Lender, lenderOf } from '../engine/s3/lentwire';
import { ENTRIES, buildBundle } from './bundle';
import { Running, S3, deletePrefix, startService, testClient, testConfig, uniqueName } from './harness';
import { tempRoot } from './transfer-helpers';

export const MiB = 1024 * 1024;
export const F = uniqueName('threads');
export const ORG = `shared/files/${F}/`;
export const BIG = randomBytes(12 * MiB + 12345);
export const MTIME = '2024-03-04T05:06:07.000Z';
/** Small files, an empty one among them. */
export const SMALL = Array.from({ length: 24 }, (_, i) => randomBytes(i === 0 ? 0 : 1000 * i + 7));

export let client: S3Client;
export let root: string;
let bundleDir: string;
export let svc: Running;
export let engine: Engine;

export function threadsOf(e: Engine): GetWorkers {
  const threads = e.options.getThreads;
  if (!threads) {
    throw new Error('the engine has no download threads');
  }
  return threads;
}

/** Seed, build the bundle and start the service before the spec's tests; remove it all after. */
export function threadsSuite(): void {
  beforeAll(async () => {
    client = testClient();
    root = tempRoot();
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-worker-'));
    buildBundle(path.join(bundleDir, GET_WORKER_BUNDLE), ENTRIES.getWorker);
    await client.send(
      new PutObjectCommand({
        Bucket: S3.orgBucket,
        Key: `${ORG}big.bam`,
        Body: BIG,
        ContentLength: BIG.length,
        Metadata: { mtime: String(Date.parse(MTIME) / 1000) }
      })
    );
    for (const [i, body] of SMALL.entries()) {
      await client.send(
        new PutObjectCommand({
          Bucket: S3.orgBucket,
          Key: `${ORG}many/sub/f${i}.txt`,
          Body: body,
          ContentLength: body.length
        })
      );
    }
    // Ranges of 4 MiB, one at a time per file: the big object takes four GETs, and a cancel lands mid-file.
    svc = await startService(testConfig({ rootDir: root }), {
      engine: {
        partSize: 4 * MiB,
        rangeSize: 4 * MiB,
        partsInFlight: 1,
        downloadThreads: { script: path.join(bundleDir, GET_WORKER_BUNDLE), threads: 2 }
      },
      onEngine: e => (engine = e)
    });
  });

  afterAll(async () => {
    await svc.close();
    await engine.close();
    await deletePrefix(client, S3.orgBucket, ORG);
    client.destroy();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(bundleDir, { recursive: true, force: true });
  });
}

/** A GET of the small object f5.txt (whole), with `over` changed. */
export const task = (over: Partial<RangeTask> = {}): RangeTask => ({
  bucket: S3.orgBucket,
  key: `${ORG}many/sub/f5.txt`,
  uri: `e://org/${F}/many/sub/f5.txt`,
  shown: 'f5.txt',
  start: 0,
  length: SMALL[5].length,
  whole: true,
  ...over
});
export const noBytes = () => undefined;

/** Threads lent routes by the engine's client, with credentials from `credentials` (through `proxy`'s endpoint). */
export function lentThreads(credentials: Lender['credentials'], endpoint = S3.endpoint): GetWorkers {
  const lent = createS3Client(testConfig({ endpoint }), { credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const { route } = lenderOf(lent);
  return new GetWorkers(threadsOf(engine).threads, { label: 'the test S3', lender: { route, credentials } });
}
