/**
 * Aborting a multipart upload makes sure it is gone: S3 can keep an upload
 * alive when one of its parts was still being written as the abort came (its
 * documentation says to abort again), so the abort is checked with ListParts
 * and made again; a server error is tried again; an unreachable S3 is left to
 * the background retries at once.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { EosStore } from '../engine/s3/store';
import { abortUpload } from '../engine/s3/multipart';
import { testConfig } from './harness';

const UPLOAD = { bucket: 'bucket', key: 'users/x/files/big.bin', uploadId: 'u-1' };

/** A store on a fake S3 answering each call with the next of `answers` ('ok' or an error to throw). */
function storeAnswering(answers: ('ok' | Error)[]): { store: EosStore; calls: string[] } {
  const calls: string[] = [];
  const client = new S3Client({ region: 'us-east-1' });
  client.send = (async (command: { constructor: { name: string } }) => {
    calls.push(command.constructor.name.replace(/Command$/, ''));
    const answer = answers.shift() ?? 'ok';
    if (answer !== 'ok') {
      throw answer;
    }
    return { $metadata: {} };
  }) as never;
  return { store: new EosStore(client, testConfig().context!, 'a fake S3'), calls };
}

const s3Error = (name: string, status: number) =>
  Object.assign(new Error(`${name} from S3`), { name, Code: name, $metadata: { httpStatusCode: status } });
const noSuchUpload = () => s3Error('NoSuchUpload', 404);

it('aborts again when ListParts still finds the upload, until it is gone', async () => {
  const { store, calls } = storeAnswering(['ok', 'ok', 'ok', noSuchUpload()]);
  await abortUpload(store, UPLOAD);
  expect(calls).toEqual(['AbortMultipartUpload', 'ListParts', 'AbortMultipartUpload', 'ListParts']);
});

it('takes an upload S3 no longer knows as aborted', async () => {
  const { store, calls } = storeAnswering([noSuchUpload()]);
  await abortUpload(store, UPLOAD);
  expect(calls).toEqual(['AbortMultipartUpload']);
});

it('tries a server error again', async () => {
  const { store, calls } = storeAnswering([s3Error('InternalError', 500), 'ok', noSuchUpload()]);
  await abortUpload(store, UPLOAD);
  expect(calls).toEqual(['AbortMultipartUpload', 'AbortMultipartUpload', 'ListParts']);
});

it('gives up after three rounds, and at once when S3 cannot be reached', async () => {
  const open = storeAnswering([]);
  await expect(abortUpload(open.store, UPLOAD)).rejects.toThrow('was still open after it was aborted');
  expect(open.calls).toHaveLength(6);
  const unreachable = storeAnswering([Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })]);
  await expect(abortUpload(unreachable.store, UPLOAD)).rejects.toMatchObject({ s3: { network: 'ECONNREFUSED' } });
  expect(unreachable.calls).toEqual(['AbortMultipartUpload']);
});
