/**
 * S3 becomes unreachable in the middle of `eos cp` of a large file: the
 * command fails naming S3. Its multipart upload could not be aborted then;
 * a service would try again in the background, but the command is about to
 * end: it tries again for a few seconds first, so S3 back within them
 * leaves nothing open, and when S3 stays away it says which upload is left
 * and the aws-cli command that aborts it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, MultipartUpload } from '@aws-sdk/client-s3';
import { until } from '../../__tests__/harness';
import { Outage, outageProxy } from '../../__tests__/transfer-helpers';
import { Run, S3, cliSuite, finished, spawnEos } from './cli-harness';

const t = cliSuite('cli-outage');
/** Several 8 MiB parts. */
const BIG = 96 * 1024 * 1024;
let proxy: Outage;

beforeAll(async () => {
  proxy = await outageProxy(S3.endpoint);
  const fd = fs.openSync(path.join(t.root, 'big.bin'), 'w');
  fs.ftruncateSync(fd, BIG);
  fs.closeSync(fd);
});

afterAll(async () => {
  await proxy?.start().catch(() => undefined);
  await proxy?.stop();
});

async function uploadsUnder(prefix: string): Promise<MultipartUpload[]> {
  const out = await t.client.send(new ListMultipartUploadsCommand({ Bucket: S3.orgBucket, Prefix: prefix }));
  return out.Uploads ?? [];
}

/**
 * `eos cp big.bin <dest>` through the proxy, S3 cut once a part is on its
 * way; `whileDown` runs once the command has said it failed. Answers the run.
 */
async function cpCut(dest: string, whileDown: () => Promise<void>): Promise<Run> {
  proxy.requests.length = 0;
  const child = spawnEos(t.cli, ['cp', 'big.bin', `${t.base}${dest}/`], t.root, {
    env: { EOS_ENDPOINT_URL: proxy.url }
  });
  let stderr = '';
  child.stderr!.on('data', chunk => (stderr += chunk));
  const run = finished(child);
  await until(() => proxy.requests.some(line => /^PUT \S*[?&]partNumber=/.test(line)));
  await proxy.stop();
  await until(() => /Cannot reach S3|did not answer/.test(stderr) || child.exitCode !== null);
  await whileDown();
  return run;
}

it('fails naming S3, and aborts its upload before it ends when S3 is back within seconds', async () => {
  const run = await cpCut('back', () => proxy.start());
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^eos: .*(Cannot reach S3|did not answer)/m);
  expect(run.stderr).not.toContain('warning');
  expect(await uploadsUnder(`${t.prefix}back/`)).toEqual([]);
  expect(await t.keys('back/')).toEqual([]);
}, 60000);

it('says which upload is left open, and how to abort it, when S3 stays away', async () => {
  const run = await cpCut('away', async () => undefined);
  await proxy.start();
  expect(run.code).toBe(1);
  const open = await uploadsUnder(`${t.prefix}away/`);
  try {
    expect(open.map(u => u.Key)).toEqual([`${t.prefix}away/big.bin`]);
    expect(run.stderr).toContain(
      `eos: warning: the multipart upload of s3://${S3.orgBucket}/${t.prefix}away/big.bin is still open ` +
        '(S3 could not be reached to abort it); its parts are billed until it is aborted: ' +
        `aws s3api abort-multipart-upload --bucket ${S3.orgBucket} --key ${t.prefix}away/big.bin ` +
        `--upload-id ${open[0].UploadId}`
    );
  } finally {
    for (const u of open) {
      await t.client.send(new AbortMultipartUploadCommand({ Bucket: S3.orgBucket, Key: u.Key, UploadId: u.UploadId }));
    }
  }
}, 60000);
