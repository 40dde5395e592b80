/**
 * When one part of a multipart upload fails, the parts already on their way
 * are not cut: they end on their own before the upload is aborted. A part
 * cut mid-request may still be stored by S3 after the abort and keep the
 * upload alive (S3's documentation says to abort again). Both ways a server
 * writes parts: an upload from the server disk (UploadPart on the data path)
 * and a copy in parts (UploadPartCopy). Nothing stays open either way.
 */
import { randomBytes } from 'node:crypto';
import { Reply, S3, uniqueName, waitJob } from './harness';
import { ProxiedRequest, ProxyAction, openUploads, proxiedBigFileSuite } from './transfer-helpers';

const F = uniqueName('sibling');
const ORG = `shared/files/${F}/`;
/** Three 5 MiB parts. */
const BYTES = randomBytes(15 * 1024 * 1024);
/** How long the answers of the other parts are held back after S3 gave them. */
const LATE_MS = 1500;

const partOf = (req: ProxiedRequest) => /[?&]partNumber=(\d+)/.exec(req.url)?.[1];
const failPart2: ProxyAction = {
  status: 400,
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>part 2 refused by the test</Message></Error>'
};

// Part 2 is refused at once; parts 1 and 3 reach S3, and their answers come late.
const suite = proxiedBigFileSuite(
  ORG,
  BYTES,
  req => {
    const n = partOf(req);
    if (req.method !== 'PUT' || n === undefined) {
      return undefined;
    }
    return n === '2' ? failPart2 : { lateMs: LATE_MS };
  },
  { partsInFlight: 4 }
);

/** Parts 1 and 3 were answered, not cut, and the upload was aborted only after both. */
function expectSiblingsEnded(): void {
  const parts = suite.proxy.requests.filter(r => r.method === 'PUT' && partOf(r) !== undefined);
  const others = parts.filter(r => partOf(r) !== '2');
  expect(parts.map(partOf).sort()).toEqual(['1', '2', '3']);
  for (const part of others) {
    expect({ part: partOf(part), cut: part.cut, answered: part.answeredAt !== undefined }).toEqual({
      part: partOf(part),
      cut: false,
      answered: true
    });
  }
  const aborts = suite.proxy.requests.filter(r => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url));
  expect(aborts.length).toBeGreaterThanOrEqual(1);
  const lastAnswer = Math.max(...others.map(r => r.answeredAt!));
  expect(aborts[0].at!).toBeGreaterThanOrEqual(lastAnswer);
}

/** The job `started` failed on part 2, its other parts ended first, and no upload is left under `dest`. */
async function expectFailedCleanly(started: Reply, dest: string): Promise<void> {
  expect(started.status).toBe(200);
  const job = await waitJob(suite.svc, started.body.id);
  expect(job).toMatchObject({ state: 'failed' });
  expect(JSON.stringify(job)).toContain('part 2 refused by the test');
  expectSiblingsEnded();
  expect(await openUploads(suite.client, S3.orgBucket, `${ORG}${dest}/`)).toEqual([]);
}

it('an upload from the server disk lets its other parts end before it aborts', async () => {
  const started = await suite.svc.post('/api/transfer', {
    kind: 'upload',
    sources: ['data/big.bin'],
    destination: `e://org/${F}/up/`,
    conflict: 'overwrite'
  });
  await expectFailedCleanly(started, 'up');
}, 60000);

it('a copy in parts lets its other parts end before it aborts', async () => {
  const started = await suite.svc.post('/api/copy', {
    sources: [`e://org/${F}/src/big.bin`],
    destination: `e://org/${F}/copied/`
  });
  await expectFailedCleanly(started, 'copied');
}, 60000);
