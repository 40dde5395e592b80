/**
 * Helpers of the transfer specs: a Jupyter root of their own, hashes, and
 * the checks that nothing partial remains.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ServiceConfig } from '../engine/config';
import { ServiceOptions } from '../http/server';
import { Running, S3, countingClient, deletePrefix, startService, testClient, testConfig, waitJob } from './harness';

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

/**
 * The multipart uploads still open under a prefix once they are gone, or
 * after `ms`: an abort S3 did not take while unreachable is tried again in
 * the background once it is back.
 */
export async function noOpenUploads(client: S3Client, bucket: string, prefix: string, ms = 30000): Promise<string[]> {
  const end = Date.now() + ms;
  let open = await openUploads(client, bucket, prefix);
  while (open.length > 0 && Date.now() < end) {
    await delay(200);
    open = await openUploads(client, bucket, prefix);
  }
  return open;
}

/** Every name under a local folder, recursively (hidden ones included), sorted. */
export function localTree(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(n => n.split(path.sep).join('/')).sort();
}

/** Start a transfer through the service and wait for its job to end. */
export async function transfer(svc: Running, body: unknown, ms = 60000): Promise<any> {
  const started = await svc.post('/api/transfer', body);
  if (started.status !== 200) {
    throw new Error(`transfer answered ${started.status}: ${started.raw}`);
  }
  return waitJob(svc, started.body.id, ms);
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

/** A TCP proxy in front of moto that can be stopped (S3 unreachable) and started again on its port. */
export interface Outage {
  /** The endpoint URL that goes through the proxy. */
  url: string;
  /** Refuse new connections and cut the open ones. */
  stop(): Promise<void>;
  /** Accept connections again, on the same port. */
  start(): Promise<void>;
  /** The bytes S3 has answered through the proxy so far (heads and bodies). */
  fromS3(): number;
  /**
   * The request lines sent through the proxy (`PUT /bucket/key?partNumber=1&uploadId=… `),
   * requests the data path sends without the SDK's middleware (s3/dataput.ts) among them.
   */
  requests: string[];
}

/** A request line at the start of an HTTP request's head. */
const REQUEST_LINE = /(?:GET|PUT|POST|DELETE|HEAD) \/\S* HTTP\/1\.1\r\n/g;

/** Start a proxy to `endpoint` (moto) on a free loopback port. */
export async function outageProxy(endpoint: string): Promise<Outage> {
  const target = new URL(endpoint);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  let answered = 0;
  const requests: string[] = [];
  const listen = async () => {
    if (server?.listening) {
      return;
    }
    const s = net.createServer(inbound => {
      const outbound = net.connect(Number(target.port), target.hostname);
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      outbound.on('data', (chunk: Buffer) => (answered += chunk.length));
      inbound.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('latin1').match(REQUEST_LINE) ?? []) {
          requests.push(line.trimEnd());
        }
      });
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', resolve);
    });
    server = s;
    port = (s.address() as net.AddressInfo).port;
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const closed = new Promise<void>(resolve => server!.close(() => resolve()));
      for (const s of sockets) {
        s.destroy();
      }
      await closed;
    },
    start: listen,
    fromS3: () => answered,
    requests
  };
}

/** A spec file's service whose S3 calls go through an outage proxy; set before its first test. */
export interface IOutageSuite {
  /** A client of the test server itself, not through the proxy (checks and clean-up). */
  client: S3Client;
  proxy: Outage;
  svc: Running;
  /** The S3 commands the service sent, by name. */
  calls: string[];
}

/**
 * Before a spec's tests start an outage proxy and a service whose S3 client
 * goes through it (`setUp` gives the service's configuration and options for
 * the proxy's endpoint); after them close both, S3 back, and delete `prefix`
 * of the org bucket.
 */
export function outageSuite(
  prefix: string,
  setUp: (endpoint: string) => { config: ServiceConfig; options?: ServiceOptions }
): IOutageSuite {
  const suite = {} as IOutageSuite;
  let proxied: S3Client;
  beforeAll(async () => {
    suite.client = testClient();
    suite.proxy = await outageProxy(S3.endpoint);
    ({ client: proxied, calls: suite.calls } = countingClient({ endpoint: suite.proxy.url }));
    const { config, options } = setUp(suite.proxy.url);
    suite.svc = await startService(config, { ...options, s3Client: proxied });
  }, 120000);
  afterAll(async () => {
    await suite.svc?.close();
    await suite.proxy?.start().catch(() => undefined);
    await deletePrefix(suite.client, S3.orgBucket, prefix);
    suite.client?.destroy();
    proxied?.destroy();
    await suite.proxy?.stop();
  }, 120000);
  return suite;
}

/** A request `s3Proxy` passed on. */
export interface ProxiedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** When it arrived and when its answer was sent (`performance.now()`). */
  at?: number;
  answeredAt?: number;
  /** The client closed the connection before the whole answer was sent. */
  cut?: boolean;
}

/**
 * What `s3Proxy` does with a request instead of passing it on: answer it
 * itself (S3's XML error, say), never answer it (`hold`), cut its connection
 * once its body starts arriving (`reset`), pass it on with a byte of its
 * body changed (`tamper`), pass it on and send S3's answer `lateMs` later,
 * pass it on once `after` has settled, or pass it on and cut the connection
 * once S3 has answered (`lose`: done, but the client never hears so).
 */
export type ProxyAction =
  | { status: number; body: string }
  | { lateMs: number }
  | { after: Promise<unknown> }
  | 'hold'
  | 'reset'
  | 'tamper'
  | 'lose';

/**
 * An HTTP proxy to the test S3 on a loopback port: it records each request,
 * `alter` may change the chunks of an answer's body (`at`: the chunk's
 * offset in the body), and `act` may take a request over.
 */
export async function s3Proxy(
  alter?: (req: ProxiedRequest, chunk: Buffer, at: number) => Buffer,
  act?: (req: ProxiedRequest) => ProxyAction | undefined
): Promise<{ url: string; requests: ProxiedRequest[]; close: () => Promise<void> }> {
  const target = new URL(S3.endpoint);
  const requests: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const seen: ProxiedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      at: performance.now()
    };
    requests.push(seen);
    res.on('finish', () => (seen.answeredAt = performance.now()));
    res.on('close', () => (seen.cut = !res.writableFinished));
    const first = act?.(seen);
    const handle = (action: ProxyAction | undefined) => {
      if (action === 'hold') {
        req.resume();
        return;
      }
      if (action === 'reset') {
        req.once('data', () => req.socket.destroy());
        return;
      }
      if (typeof action === 'object' && 'status' in action) {
        req.resume();
        req.on('end', () => res.writeHead(action.status, { 'content-type': 'application/xml' }).end(action.body));
        return;
      }
      let answered = false;
      const out = http.request(
        { host: target.hostname, port: target.port, path: seen.url, method: seen.method, headers: req.headers },
        async answer => {
          answered = true;
          if (action === 'lose') {
            answer.resume();
            req.socket.destroy();
            return;
          }
          if (typeof action === 'object' && 'lateMs' in action) {
            // The body waits in the stream (nothing reads it yet).
            await new Promise(resolve => setTimeout(resolve, action.lateMs));
            if (res.destroyed) {
              answer.resume();
              return;
            }
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          let at = 0;
          answer.on('data', (chunk: Buffer) => {
            res.write(alter ? alter(seen, Buffer.from(chunk), at) : chunk);
            at += chunk.length;
          });
          answer.on('end', () => res.end());
        }
      );
      // S3 may answer (a 412, say) before it has read the whole body, and close: the answer is passed on.
      out.on('error', () => answered || res.destroy());
      // The whole body is read before it is passed on: S3 may answer before it has read it (a 412,
      // say), and that answer must not reach a client still sending (its socket reset on it).
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (action === 'tamper' && body.length > 0) {
          body[0] ^= 1;
        }
        out.end(body);
      });
    };
    if (typeof first === 'object' && 'after' in first) {
      void first.after.finally(() => handle(undefined));
    } else {
      handle(first);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise(resolve => server.close(() => resolve()));
    }
  };
}

/** A spec file's service whose S3 calls go through an `s3Proxy`, with one file on both sides; set before its first test. */
export interface IProxiedSuite {
  /** A client straight to the test S3. */
  client: S3Client;
  /** The service's Jupyter root, holding `data/big.bin`. */
  root: string;
  proxy: Awaited<ReturnType<typeof s3Proxy>>;
  svc: Running;
}

/**
 * A service on its own Jupyter root whose S3 calls go through an `s3Proxy`
 * taking requests over with `act`: `bytes` are in `data/big.bin` there and at
 * `<prefix>src/big.bin` in the org bucket; multipart from 5 MiB, in parts of
 * 5 MiB (`engine` adds to that). The prefix and the root go with the suite.
 */
export function proxiedBigFileSuite(
  prefix: string,
  bytes: Buffer,
  act: (req: ProxiedRequest) => ProxyAction | undefined,
  engine: ServiceOptions['engine'] = {}
): IProxiedSuite {
  const MiB = 1024 * 1024;
  const suite = {} as IProxiedSuite;
  beforeAll(async () => {
    suite.client = testClient();
    suite.root = tempRoot();
    fs.mkdirSync(path.join(suite.root, 'data'));
    fs.writeFileSync(path.join(suite.root, 'data', 'big.bin'), bytes);
    await suite.client.send(
      new PutObjectCommand({
        Bucket: S3.orgBucket,
        Key: `${prefix}src/big.bin`,
        Body: bytes,
        ContentLength: bytes.length
      })
    );
    suite.proxy = await s3Proxy(undefined, act);
    suite.svc = await startService(testConfig({ rootDir: suite.root, endpoint: suite.proxy.url }), {
      engine: { partSize: 5 * MiB, multipartThreshold: 5 * MiB, copyPartSize: 5 * MiB, ...engine }
    });
  }, 120000);
  afterAll(async () => {
    await suite.svc?.close();
    await suite.proxy?.close();
    await deletePrefix(suite.client, S3.orgBucket, prefix);
    suite.client?.destroy();
    fs.rmSync(suite.root, { recursive: true, force: true });
  });
  beforeEach(() => {
    suite.proxy.requests.length = 0;
  });
  return suite;
}
