/**
 * Helpers of the transfer specs: a Jupyter root of their own, hashes, and
 * the checks that nothing partial remains.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { Running, waitJob } from './harness';

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A new temporary Jupyter root (a realpath). */
export function tempRoot(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eos-root-')));
}

/** The sha256 of bytes, in hex. */
export function sha256(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes of an object. */
export async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** The multipart uploads open under a prefix. */
export async function openUploads(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return (out.Uploads ?? []).map(u => u.Key!);
}

/** Every name under a local folder, recursively (hidden ones included), sorted. */
export function localTree(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(n => n.split(path.sep).join('/')).sort();
}

/** Start a transfer through the service and wait for its job to end. */
export async function transfer(svc: Running, body: unknown): Promise<any> {
  const started = await svc.post('/api/transfer', body);
  if (started.status !== 200) {
    throw new Error(`transfer answered ${started.status}: ${started.raw}`);
  }
  return waitJob(svc, started.body.id);
}

/** Poll a job until `check` holds on its record. */
export async function jobWhen(svc: Running, id: string, check: (job: any) => boolean, ms = 30000): Promise<any> {
  const end = Date.now() + ms;
  for (;;) {
    const job = (await svc.get('/api/job', { id })).body;
    if (check(job) || job.state !== 'running') {
      return job;
    }
    if (Date.now() > end) {
      throw new Error(`job ${id} never reached the condition: ${JSON.stringify(job)}`);
    }
    await delay(10);
  }
}
