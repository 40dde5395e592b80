/**
 * Objects and buckets on the test server, written and removed as another S3
 * client would, and clients that record or alter what the SDK sends and gets.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig
} from '@aws-sdk/client-s3';
import { xmlSafe } from '../engine/s3/batches';
import { listPage } from '../engine/s3/listing';
import { testClient } from './testserver';

/** Write objects: key -> body (a string or bytes). */
export async function putObjects(
  client: S3Client,
  bucket: string,
  objects: Record<string, string | Buffer>
): Promise<void> {
  const entries = Object.entries(objects);
  for (let i = 0; i < entries.length; i += 16) {
    await Promise.all(
      entries.slice(i, i + 16).map(([Key, body]) => {
        const Body = Buffer.from(body);
        return client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentLength: Body.length }));
      })
    );
  }
}

/** The keys under `prefix`, decoded, a listing page at a time. */
async function* keyPages(client: S3Client, bucket: string, prefix: string): AsyncGenerator<string[]> {
  let token: string | undefined;
  do {
    const page = await listPage(
      client,
      { Bucket: bucket, Prefix: prefix, ContinuationToken: token },
      AbortSignal.timeout(60000)
    );
    yield (page.Contents ?? []).map(o => o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Delete every object under `prefix` (a suite cleaning up after itself). */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  for await (const all of keyPages(client, bucket, prefix)) {
    // Keys with control characters cannot go in the XML body of DeleteObjects.
    for (const Key of all.filter(k => !xmlSafe(k))) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    }
    const keys = all.filter(xmlSafe).map(Key => ({ Key }));
    if (keys.length > 0) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    }
  }
}

/** Create a bucket of the suite's own. */
export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Empty and delete a bucket. */
export async function dropBucket(client: S3Client, bucket: string): Promise<void> {
  await deletePrefix(client, bucket, '');
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/**
 * An S3 client for the test server that records the name of every command
 * it sends (`calls`) and, in `sent`, each command with its input.
 */
export function countingClient(overrides: Partial<S3ClientConfig> = {}): {
  client: S3Client;
  calls: string[];
  sent: { command: string; input: Record<string, unknown> }[];
} {
  const client = testClient(overrides);
  const calls: string[] = [];
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  client.middlewareStack.add(
    (next, context) => async args => {
      calls.push(context.commandName ?? 'unknown');
      sent.push({ command: context.commandName ?? 'unknown', input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'eosTestCounter' }
  );
  return { client, calls, sent };
}

/** A client for the test server whose answers to `command` (e.g. `HeadObjectCommand`) `change` alters. */
export function tamperedClient(command: string, change: (output: any) => void): S3Client {
  const client = testClient();
  client.middlewareStack.add(
    (next, context) => async args => {
      const out: any = await next(args);
      if (context.commandName === command) {
        change(out.output);
      }
      return out;
    },
    { step: 'initialize', name: 'eosTestTamper' }
  );
  return client;
}

/** Write `count` small objects named by `keyOf(i)`, with at most `concurrency` PUTs in flight. */
export async function putMany(
  client: S3Client,
  bucket: string,
  count: number,
  keyOf: (i: number) => string,
  concurrency = 32
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const Body = Buffer.from(`object ${i}`);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(i), Body, ContentLength: Body.length }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Every key under `prefix`, decoded, in order. */
export async function keysUnder(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of keyPages(client, bucket, prefix)) {
    keys.push(...page);
  }
  return keys;
}
