/**
 * Test harness: the real service listening on a temporary unix socket, on
 * this worker's S3 server (testserver.ts), with the object helpers of
 * s3objects.ts; specs import all three from here.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_DISK_LIMIT, makeContext } from '../../core';
import { ServiceConfig } from '../engine/config';
import { ServiceOptions, createService } from '../http/server';
import { S3, testClient } from './testserver';
import { countingClient, deletePrefix } from './s3objects';

export * from './testserver';
export * from './s3objects';

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

/** Wait until `check` holds, polling (jest's test timeout bounds the wait). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** PUT api/content/save of `body` at `uri` (the EOS drive's save), with the ETag it was opened at, if any. */
export function saveContent(svc: Running, uri: string, body: Buffer, etag?: string): Promise<Reply> {
  return svc.request({
    method: 'PUT',
    path: '/api/content/save',
    query: etag === undefined ? { uri } : { uri, etag },
    headers: { Authorization: 'token test', 'Content-Type': 'application/octet-stream' },
    body
  });
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
