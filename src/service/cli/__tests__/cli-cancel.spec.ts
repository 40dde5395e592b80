/**
 * Ctrl-C in the middle of `eos cp`, or the terminal closed under it (a
 * hang-up, as when a JupyterLab terminal tab is closed): the command exits
 * 130 and leaves nothing behind: no multipart upload open, no object, no
 * temporary file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { keysUnder, putObjects, until } from '../../__tests__/harness';
import { S3, cliSuite, finished, spawnEos } from './cli-harness';

const t = cliSuite('cli-cancel');
const { prefix, base } = t;
let root: string;
let client: S3Client;
/** Big enough for several 8 MiB parts in flight, and seconds of moto's time. */
const BIG = 96 * 1024 * 1024;

beforeAll(async () => {
  ({ root, client } = t);
});

async function openUploads(key: string): Promise<number> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: S3.orgBucket, Prefix: key }));
  return (out.Uploads ?? []).length;
}

describe.each([
  ['Ctrl-C', 'SIGINT'],
  ['a hang-up', 'SIGHUP']
] as const)('%s during eos cp', (_, signal) => {
  it('aborts the multipart upload of a cancelled upload and writes no object', async () => {
    const file = path.join(root, 'big.bin');
    const fd = fs.openSync(file, 'w');
    fs.ftruncateSync(fd, BIG);
    fs.closeSync(fd);
    const key = `${prefix}up-${signal}/big.bin`;
    const child = spawnEos(t.cli, ['cp', 'big.bin', `${base}up-${signal}/`], root);
    const done = finished(child);
    await until(async () => (await openUploads(key)) > 0);
    child.kill(signal);
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr.trim().split('\n').pop()).toBe('eos: cancelled');
    expect(await openUploads(key)).toBe(0);
    expect(await keysUnder(client, S3.orgBucket, `${prefix}up-${signal}/`)).toEqual([]);
  });

  it('removes the temporary file of a cancelled download and writes no file', async () => {
    const body = Buffer.alloc(BIG, 7);
    await putObjects(client, S3.orgBucket, { [`${prefix}down-${signal}/big.bin`]: body });
    const dir = path.join(root, `dl-${signal}`);
    fs.mkdirSync(dir);
    const child = spawnEos(t.cli, ['cp', `${base}down-${signal}/big.bin`, `dl-${signal}/`], root);
    const done = finished(child);
    await until(() => fs.readdirSync(dir).some(n => n.includes('.eos-partial-')));
    child.kill(signal);
    const run = await done;
    expect(run.code).toBe(130);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
