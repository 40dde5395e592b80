/**
 * S3 opens a multipart upload but its answer never reaches the service (the
 * connection cut once S3 has answered): the service cannot know the upload's
 * id, so it looks for the uploads of that key S3 opened while the create was
 * under way and aborts them. Whether the SDK's retry then opens one (the job
 * goes on and completes) or every attempt is lost (the job fails), no
 * upload stays open; another client's upload of the same key, opened
 * earlier, is left be.
 */
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand
} from '@aws-sdk/client-s3';
import { S3_MAX_ATTEMPTS } from '../engine/s3/limits';
import { LOST_WINDOW_MS } from '../engine/s3/multipart';
import { MOTO_DIFFERS, S3, itExceptOn, uniqueName, waitJob } from './harness';
import { ProxiedRequest, objectBytes, openUploads, proxiedBigFileSuite, sha256 } from './transfer-helpers';

const F = uniqueName('lostcreate');
const ORG = `shared/files/${F}/`;
/** Three 5 MiB parts. */
const BYTES = randomBytes(15 * 1024 * 1024);

const isCreate = (req: ProxiedRequest) => req.method === 'POST' && /[?&]uploads(=|&|$)/.test(req.url);
const isAbort = (req: ProxiedRequest) => req.method === 'DELETE' && /[?&]uploadId=/.test(req.url);

/** The service tells its lost upload by when S3 says it was opened. */
const itOnS3 = itExceptOn('moto', MOTO_DIFFERS.initiated);

/** How many create answers to lose from now on (those of keys holding `losing`). */
let toLose = 0;
let losing = '';

const suite = proxiedBigFileSuite(ORG, BYTES, req => {
  if (isCreate(req) && toLose > 0 && decodeURIComponent(req.url).includes(losing)) {
    toLose--;
    return 'lose';
  }
  return undefined;
});

beforeEach(() => {
  toLose = 0;
});

itOnS3(
  'a copy whose first create answer is lost completes, and the upload S3 opened for it is aborted',
  async () => {
    losing = `${ORG}copied/big.bin`;
    toLose = 1;
    const started = await suite.svc.post('/api/copy', {
      sources: [`e://org/${F}/src/big.bin`],
      destination: `e://org/${F}/copied/`
    });
    expect(started.status).toBe(200);
    const job = await waitJob(suite.svc, started.body.id);
    expect(job).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
    expect(sha256(await objectBytes(suite.client, S3.orgBucket, `${ORG}copied/big.bin`))).toBe(sha256(BYTES));
    // The SDK asked again: two uploads opened, the one whose answer came completed, the other aborted.
    expect(suite.proxy.requests.filter(isCreate)).toHaveLength(2);
    expect(suite.proxy.requests.filter(isAbort)).toHaveLength(1);
    expect(await openUploads(suite.client, S3.orgBucket, `${ORG}copied/`)).toEqual([]);
  },
  60000
);

itOnS3(
  'an upload from the server disk whose every create answer is lost fails, and leaves no upload open',
  async () => {
    losing = `${ORG}up/big.bin`;
    toLose = S3_MAX_ATTEMPTS;
    const started = await suite.svc.post('/api/transfer', {
      kind: 'upload',
      sources: ['data/big.bin'],
      destination: `e://org/${F}/up/`,
      conflict: 'overwrite'
    });
    expect(started.status).toBe(200);
    const job = await waitJob(suite.svc, started.body.id);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'Upstream' } });
    expect(suite.proxy.requests.filter(isCreate)).toHaveLength(S3_MAX_ATTEMPTS);
    // Aborted before the job was said to have failed.
    expect(suite.proxy.requests.filter(isAbort)).toHaveLength(S3_MAX_ATTEMPTS);
    expect(await openUploads(suite.client, S3.orgBucket, `${ORG}up/`)).toEqual([]);
  },
  60000
);

itOnS3(
  "another client's upload of the same key, opened earlier, is left open",
  async () => {
    const key = `${ORG}shared/big.bin`;
    const theirs = await suite.client.send(new CreateMultipartUploadCommand({ Bucket: S3.orgBucket, Key: key }));
    try {
      // Past the seconds a lost create's upload is looked for around it, by the time S3 gives the upload
      // (versitygw's are whole seconds, seen up to 1.6 s off this machine's clock).
      const listed = await suite.client.send(new ListMultipartUploadsCommand({ Bucket: S3.orgBucket, Prefix: key }));
      const initiated = listed.Uploads!.find(u => u.UploadId === theirs.UploadId)!.Initiated!.getTime();
      const wait = initiated + LOST_WINDOW_MS + 2000 - Date.now();
      await new Promise(resolve => setTimeout(resolve, Math.max(wait, 0)));
      losing = key;
      toLose = 1;
      const job = await waitJob(
        suite.svc,
        (
          await suite.svc.post('/api/copy', {
            sources: [`e://org/${F}/src/big.bin`],
            destination: `e://org/${F}/shared/`
          })
        ).body.id
      );
      expect(job).toMatchObject({ state: 'done' });
      expect(suite.proxy.requests.filter(isAbort)).toHaveLength(1);
      expect(await openUploads(suite.client, S3.orgBucket, `${ORG}shared/`)).toEqual([key]);
    } finally {
      await suite.client.send(
        new AbortMultipartUploadCommand({ Bucket: S3.orgBucket, Key: key, UploadId: theirs.UploadId })
      );
    }
  },
  60000
);
