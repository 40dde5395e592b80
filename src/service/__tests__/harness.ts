/**
 * Test harness: the S3 server the global setup started (moto, or versitygw in
 * the `versitygw` jest project), S3 clients for it, and the real service
 * listening on a temporary unix socket.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig
} from '@aws-sdk/client-s3';
import { DEFAULT_DISK_LIMIT, makeContext } from '../../core';
import { ServiceConfig } from '../engine/config';
import { xmlSafe } from '../engine/s3/batches';
import { listPage } from '../engine/s3/listing';
import { ServiceOptions, createService } from '../http/server';

/** What test/moto-global-setup.js or test/versitygw-global-setup.js started. */
export interface TestS3 {
  /** Which server: the store-level specs run against both (jest.config.js). */
  server: 'moto' | 'versitygw';
  endpoint: string;
  userId: string;
  orgId: string;
  otherUserId: string;
  orgBucket: string;
  gencoveBucket: string;
}

/** This worker's own server: the global set-ups start one per jest worker (test/workers.js). */
function ownServer(json: string | undefined): TestS3 | null {
  const servers: TestS3[] | null = JSON.parse(json ?? 'null');
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return servers && servers.length > 0 ? servers[(worker - 1) % servers.length] : null;
}

export const S3: TestS3 = ownServer(process.env.EOS_TEST_S3)!;
if (!S3) {
  throw new Error('EOS_TEST_S3 is not set: run the service tests through jest (test/moto-global-setup.js)');
}

/** Whether the tests run against versitygw (else moto). */
export const VERSITYGW = S3.server === 'versitygw';

/**
 * Where moto differs from S3's documented behaviour: a test of that
 * behaviour runs on versitygw only (`itExceptOn('moto', ...)`).
 */
export const MOTO_DIFFERS = {
  atomicComplete:
    'moto does not enforce If-None-Match: * atomically on CompleteMultipartUpload (two concurrent completes both succeed)',
  presignChecks: 'moto checks neither the signature nor the expiry of a presigned URL',
  disposition: 'moto ignores response-content-disposition on a presigned GET',
  checksums:
    'moto 5.2.1 stores the checksum a client sends without checking it against the bytes (S3 refuses BadDigest)'
} as const;

/**
 * What versitygw v1.8.0 (posix backend) cannot do that S3 does: a test that
 * needs it runs on moto only (`itExceptOn('versitygw', ...)`), or leaves the
 * key out there (with a comment naming the limit).
 */
export const VERSITYGW_LACKS = {
  objectAndFolder: 'versitygw posix: keys are paths, so `a` cannot be an object and a folder (`a/b`) at once',
  emptySegment: 'versitygw posix: keys are paths, so `a//b` is stored and listed as `a/b`',
  encodedListing:
    'versitygw ignores EncodingType=url: keys holding C0 control characters (not tab, LF, CR) list as U+FFFD',
  sessionTokens: 'versitygw has no STS: it refuses every session token',
  copyMarker: 'versitygw refuses CopyObject onto a folder marker (`a/`): DirectoryObjectContainsData, even for 0 bytes',
  abortedComplete:
    'versitygw answers 200 to CompleteMultipartUpload of an upload already aborted, and writes nothing (S3: 404 NoSuchUpload)'
} as const;

/** A test function as `it` takes it. */
type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/**
 * `it`, or `it.skip` on `server` for a case it cannot do as S3 does; the
 * skipped test's name says why (`limit`, from MOTO_DIFFERS or VERSITYGW_LACKS).
 */
export function itExceptOn(server: TestS3['server'], limit: string): TestFn {
  return (name, fn, timeout) =>
    S3.server === server ? it.skip(`${name} [not on ${server}: ${limit}]`, fn, timeout) : it(name, fn, timeout);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_IN_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F]/g;

/** `key` as a listing names it: itself, but on versitygw with U+FFFD for a control character (VERSITYGW_LACKS.encodedListing). */
export function asListed(key: string): string {
  return VERSITYGW ? key.replace(NOT_IN_XML, '\uFFFD') : key;
}

// The service's own clients use the SDK's default chain: give it the server's credentials (both take these).
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

/** A short random name, unique per suite, for folders and buckets. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export { randomUUID };

/** An S3 client for the test server, with static test credentials unless overridden. */
export function testClient(overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: S3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    ...overrides
  });
}

/** A configuration pointing at the test server, the test ids and a temporary root dir. */
export function testConfig(
  overrides: Partial<ServiceConfig> & { orgBucket?: string; gencoveBucket?: string } = {}
): ServiceConfig {
  const { orgBucket, gencoveBucket, ...rest } = overrides;
  return {
    context: makeContext({
      userId: S3.userId,
      orgId: S3.orgId,
      orgBucket: orgBucket ?? S3.orgBucket,
      gencoveBucket: gencoveBucket ?? S3.gencoveBucket
    }),
    contextProblem: null,
    endpoint: S3.endpoint,
    region: 'us-east-1',
    rootDir: fs.realpathSync(os.tmpdir()),
    diskLimit: DEFAULT_DISK_LIMIT,
    stateDir: null,
    ...rest
  };
}

/** An HTTP answer with its JSON body parsed (or null). */
export interface Reply<T = any> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: T;
  raw: string;
}

/** A request to the service. */
export interface Req {
  method?: string;
  path: string;
  query?: Record<string, string | number>;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Send the body in chunks without a Content-Length. */
  chunked?: boolean;
}

/** Assert that a reply is the API error `code` with `status`, its message containing or matching `message`. */
export function expectError(reply: Reply, status: number, code: string, message?: string | RegExp): void {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
  if (typeof message === 'string') {
    expect(reply.body.message).toContain(message);
  } else if (message) {
    expect(reply.body.message).toMatch(message);
  }
}

/** Send one request over a unix socket. */
export function request(socketPath: string, req: Req): Promise<Reply> {
  const qs = req.query ? new URLSearchParams(Object.entries(req.query).map(([k, v]) => [k, String(v)])).toString() : '';
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        socketPath,
        method: req.method ?? 'GET',
        path: qs ? `${req.path}?${qs}` : req.path,
        headers: req.headers,
        agent: false
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = raw ? JSON.parse(raw) : null;
          } catch {
            body = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, raw });
        });
      }
    );
    r.on('error', reject);
    if (req.body !== undefined && req.chunked) {
      const buf = Buffer.from(req.body);
      for (let i = 0; i < buf.length; i += 8192) {
        r.write(buf.subarray(i, i + 8192));
      }
      r.end();
    } else {
      r.end(req.body);
    }
  });
}

/** The service running in-process on a temporary unix socket. */
export interface Running {
  socket: string;
  logs: string[];
  get(path: string, query?: Record<string, string | number>, headers?: http.OutgoingHttpHeaders): Promise<Reply>;
  /** POST JSON with a token `Authorization` header (XSRF-exempt) unless headers are given. */
  post(path: string, body: unknown, headers?: http.OutgoingHttpHeaders): Promise<Reply>;
  request(req: Req): Promise<Reply>;
  close(): Promise<void>;
}

/** Start the service for `config` on a unix socket in a new temporary directory. */
export async function startService(
  config: ServiceConfig = testConfig(),
  options: ServiceOptions = {}
): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-svc-'));
  const socket = path.join(dir, 'service.sock');
  const logs: string[] = [];
  const server = createService(config, { log: line => logs.push(line), ...options });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, resolve);
  });
  const send = (req: Req) => request(socket, req);
  return {
    socket,
    logs,
    request: send,
    get: (p, query, headers) => send({ path: p, query, headers }),
    post: (p, body, headers = { Authorization: 'token test' }) =>
      send({
        method: 'POST',
        path: p,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body)
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/**
 * The service on a fake S3 endpoint: an HTTP server on a free loopback port
 * that `handle` answers (or not). `close` stops both.
 */
export async function startOnFakeS3(
  handle: http.RequestListener,
  backlog = 511
): Promise<{ svc: Running; fake: http.Server; close(): Promise<void> }> {
  const fake = http.createServer(handle);
  await new Promise<void>(resolve => fake.listen(0, '127.0.0.1', backlog, resolve));
  const port = (fake.address() as AddressInfo).port;
  const svc = await startService(testConfig({ endpoint: `http://127.0.0.1:${port}` }));
  return {
    svc,
    fake,
    close: async () => {
      await svc.close();
      fake.closeAllConnections();
      await new Promise<void>(resolve => fake.close(() => resolve()));
    }
  };
}

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

/** Delete every object under `prefix` (a suite cleaning up after itself). */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await listPage(
      client,
      { Bucket: bucket, Prefix: prefix, ContinuationToken: token },
      AbortSignal.timeout(60000)
    );
    const all = (page.Contents ?? []).map(o => o.Key!);
    // Keys with control characters cannot go in the XML body of DeleteObjects.
    for (const Key of all.filter(k => !xmlSafe(k))) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    }
    const keys = all.filter(xmlSafe).map(Key => ({ Key }));
    if (keys.length > 0) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
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

/** Every page of a listing, following `next` with `limit` entries per page. */
export async function listAll(svc: Running, uri: string, limit: number): Promise<{ pages: any[][]; entries: any[] }> {
  const pages: any[][] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string | number> = { uri, limit };
    if (cursor) {
      query.cursor = cursor;
    }
    const reply = await svc.get('/api/list', query);
    if (reply.status !== 200) {
      throw new Error(`list ${uri} answered ${reply.status}: ${reply.raw}`);
    }
    pages.push(reply.body.entries);
    cursor = reply.body.next;
  } while (cursor);
  return { pages, entries: pages.flat() };
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

/** Long-poll a job until it has ended (or `ms` have passed). */
export async function waitJob(svc: Running, id: string, ms = 60000): Promise<any> {
  const until = Date.now() + ms;
  for (;;) {
    const reply = await svc.get('/api/job', { id, wait: 10000 });
    if (reply.status !== 200) {
      throw new Error(`job ${id} answered ${reply.status}: ${reply.raw}`);
    }
    if (reply.body.state !== 'running' || Date.now() > until) {
      return reply.body;
    }
  }
}

/** Every key under `prefix`, decoded, in order. */
export async function keysUnder(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await listPage(
      client,
      { Bucket: bucket, Prefix: prefix, ContinuationToken: token },
      AbortSignal.timeout(60000)
    );
    keys.push(...(page.Contents ?? []).map(o => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Wait until `check` holds, polling (jest's test timeout bounds the wait). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** A spec file's service and S3 client, set before its first test. */
export interface IServiceSuite {
  /** A client of the test server, playing another S3 client (and cleaning up). */
  client: S3Client;
  svc: Running;
  /** The S3 commands the service sent, by name (with `counting`). */
  calls: string[];
}

/**
 * Start one service for a spec file before its tests and close it after,
 * removing what the tests wrote under `cleanup` (org-bucket prefixes, or
 * `[bucket, prefix]`).
 */
export function serviceSuite(options: {
  cleanup: (string | [string, string])[];
  /** Count the S3 commands the service sends, in `calls`. */
  counting?: boolean;
  /** Write what the tests read, before the service starts. */
  seed?: (client: S3Client) => Promise<unknown>;
  config?: ServiceConfig;
  service?: ServiceOptions;
}): IServiceSuite {
  const suite = { calls: [] as string[] } as IServiceSuite;
  beforeAll(async () => {
    suite.client = testClient();
    await options.seed?.(suite.client);
    const counting = options.counting ? countingClient() : null;
    suite.calls = counting?.calls ?? [];
    suite.svc = await startService(options.config ?? testConfig(), {
      ...options.service,
      ...(counting ? { s3Client: counting.client } : {})
    });
  });
  afterAll(async () => {
    await suite.svc?.close();
    for (const place of options.cleanup) {
      const [bucket, prefix] = typeof place === 'string' ? [S3.orgBucket, place] : place;
      await deletePrefix(suite.client, bucket, prefix);
    }
    suite.client?.destroy();
  }, 120000);
  return suite;
}
