/**
 * The demo's S3 server, as another client of EOS sees it: the specs write
 * and read objects here directly to check what the extension did.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3';

/** Where the demo's S3 server is (devtools/demo.py writes it once serving). */
export interface IDemoS3 {
  endpoint: string;
  orgBucket: string;
  userId: string;
}

export function s3Info(): IDemoS3 {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../.demo/s3.json'), 'utf-8'));
}

/** A client of the demo's S3 server; destroy it when done. */
export function s3(): S3Client {
  return new S3Client({
    endpoint: s3Info().endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }
  });
}

/** The S3 key of `e://users/me/<key>`. */
export function myKey(key: string): string {
  return `users/${s3Info().userId}/files/${key}`;
}

/** Run `work` with a client, destroyed after. */
export async function withS3<T>(work: (client: S3Client, bucket: string) => Promise<T>): Promise<T> {
  const client = s3();
  try {
    return await work(client, s3Info().orgBucket);
  } finally {
    client.destroy();
  }
}

/** The bytes of an object in any of the demo's buckets (rejects when it does not exist). */
export async function getObject(Bucket: string, Key: string): Promise<Buffer> {
  return withS3(async client => {
    const answer = await client.send(new GetObjectCommand({ Bucket, Key }));
    return Buffer.from(await answer.Body!.transformToByteArray());
  });
}

/** Write one object in any of the demo's buckets. */
export async function putObject(Bucket: string, Key: string, Body: string | Buffer): Promise<void> {
  await withS3(client => client.send(new PutObjectCommand({ Bucket, Key, Body })));
}

/** The ETag of an object in any of the demo's buckets (rejects when it does not exist). */
export async function etagOf(Bucket: string, Key: string): Promise<string> {
  return withS3(async client => (await client.send(new HeadObjectCommand({ Bucket, Key }))).ETag!);
}

/** Delete objects in any of the demo's buckets. */
export async function deleteObjects(Bucket: string, keys: string[]): Promise<void> {
  await withS3(client =>
    client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map(Key => ({ Key })) } }))
  );
}

/** Write objects under `e://users/me/`. */
export async function putMine(objects: Record<string, string | Buffer>): Promise<void> {
  for (const [key, body] of Object.entries(objects)) {
    await putObject(s3Info().orgBucket, myKey(key), body);
  }
}

/** The keys under `e://users/me/<prefix>`, relative to `e://users/me/`, sorted. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const answer = await withS3((client, Bucket) =>
    client.send(new ListObjectsV2Command({ Bucket, Prefix: myKey(prefix) }))
  );
  return (answer.Contents ?? []).map(o => o.Key!.slice(myKey('').length)).sort();
}

/** The bytes of `e://users/me/<key>` (rejects when it does not exist). */
export async function readMine(key: string): Promise<Buffer> {
  return getObject(s3Info().orgBucket, myKey(key));
}

/** The text of `e://users/me/<key>`, or null when it does not exist. */
export async function readMineText(key: string): Promise<string | null> {
  return readMine(key).then(
    bytes => bytes.toString('utf-8'),
    () => null
  );
}
