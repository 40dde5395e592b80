/**
 * Credentials that expire during a long transfer are fetched again. The
 * SDK's default chain is given a container-credentials endpoint
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI, served here on loopback, as ECS and
 * EKS serve a role's credentials) whose credentials expire four minutes
 * ahead: inside the SDK's five-minute refresh window, so each request asks
 * for them again, as a 12-hour transfer does each time a role's credentials
 * rotate. A multipart upload of several parts, a ranged download on the
 * service's thread and one on the download threads all complete while the
 * endpoint hands out new credentials. The threads load no SDK client: they
 * sign with the credentials the service's client lends them, so a client
 * given a provider of its own downloads on them too, and keys that provider
 * replaces are the ones the threads sign with next.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Engine, createS3Client } from '../engine';
import { GET_WORKER_BUNDLE } from '../engine/transfer/threads';
import { ENTRIES, buildBundle } from './bundle';
import { Running, S3, VERSITYGW, deletePrefix, startService, testClient, testConfig, uniqueName } from './harness';
import { objectBytes, s3Proxy, sha256, tempRoot, transfer } from './transfer-helpers';

const MiB = 1024 * 1024;
const F = uniqueName('creds');
const ORG = `shared/files/${F}/`;
/** Four parts of 5 MiB (the last one shorter); five ranges of 4 MiB. */
const BODY = randomBytes(17 * MiB + 4321);
const PARTS = 4;
const RANGES = 5;
const TUNING = { partSize: 5 * MiB, rangeSize: 4 * MiB, partsInFlight: 2 };

/** A container-credentials endpoint: the test's key pair, a new token each time, expiring in 4 minutes. */
async function credentialsEndpoint(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server = http.createServer((_req, res) => {
    calls++;
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        AccessKeyId: 'testing',
        SecretAccessKey: 'testing',
        // versitygw has no STS: it refuses every session token (an empty one is not sent).
        Token: VERSITYGW ? '' : `token-${calls}`,
        Expiration: new Date(Date.now() + 4 * 60000).toISOString()
      })
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/role`,
    calls: () => calls,
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  };
}

const CHAIN_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];

let client: S3Client;
let endpoint: Awaited<ReturnType<typeof credentialsEndpoint>>;
let saved: Record<string, string | undefined>;
let root: string;
let bundleDir: string;
let svc: Running;
let threaded: Running;
let engine: Engine;

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  fs.writeFileSync(path.join(root, 'big.bin'), BODY);
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-worker-'));
  buildBundle(path.join(bundleDir, GET_WORKER_BUNDLE), ENTRIES.getWorker);
  endpoint = await credentialsEndpoint();
  // The service's clients (and its threads', which copy this environment) find only the endpoint in the chain.
  saved = Object.fromEntries(CHAIN_ENV.map(k => [k, process.env[k]]));
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
  svc = await startService(testConfig({ rootDir: root }), { engine: TUNING });
  threaded = await startService(testConfig({ rootDir: root }), {
    engine: { ...TUNING, downloadThreads: { script: path.join(bundleDir, GET_WORKER_BUNDLE), threads: 2 } },
    onEngine: e => (engine = e)
  });
});

afterAll(async () => {
  await svc.close();
  await threaded.close();
  await engine.close();
  await endpoint.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) {
      delete process.env[k];
    } else {
      process.env[k] = v;
    }
  }
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(bundleDir, { recursive: true, force: true });
});

describe('credentials nearing their expiry during a transfer', () => {
  it('a multipart upload of several parts completes, asking the chain again as it goes', async () => {
    const before = endpoint.calls();
    const job = await transfer(svc, { kind: 'upload', sources: ['big.bin'], destination: `e://org/${F}/` });
    expect(job).toMatchObject({ state: 'done', bytes: { done: BODY.length } });
    expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}big.bin`))).toBe(sha256(BODY));
    // Create, the parts and Complete: concurrent requests may share one fetch.
    expect(endpoint.calls() - before).toBeGreaterThanOrEqual(PARTS / 2 + 2);
  });

  it('a ranged download on the service thread completes, asking the chain again as it goes', async () => {
    fs.mkdirSync(path.join(root, 'main'));
    const before = endpoint.calls();
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/big.bin`], destination: 'main' });
    expect(job).toMatchObject({ state: 'done', bytes: { done: BODY.length } });
    expect(sha256(fs.readFileSync(path.join(root, 'main', 'big.bin')))).toBe(sha256(BODY));
    expect(endpoint.calls() - before).toBeGreaterThanOrEqual(RANGES / 2);
  });

  it('a ranged download on the download threads completes: each thread asks the chain again as it goes', async () => {
    fs.mkdirSync(path.join(root, 'threads'));
    const before = endpoint.calls();
    const job = await transfer(threaded, {
      kind: 'download',
      sources: [`e://org/${F}/big.bin`],
      destination: 'threads'
    });
    expect(job).toMatchObject({ state: 'done', bytes: { done: BODY.length } });
    expect(sha256(fs.readFileSync(path.join(root, 'threads', 'big.bin')))).toBe(sha256(BODY));
    expect(engine.options.getThreads?.fetched).toBe(RANGES);
    // The service thread's listing and HEAD, and each thread's GETs (two threads, each asking on its own).
    expect(endpoint.calls() - before).toBeGreaterThanOrEqual(RANGES / 2 + 1);
  });
});

describe('a client with a credential provider of its own', () => {
  type Provider = () => Promise<{ accessKeyId: string; secretAccessKey: string; expiration: Date }>;

  /** Run `use` with a service whose client has `credentials` for its provider (S3 at `endpoint`), on two threads. */
  async function withOwnProvider(
    credentials: Provider,
    use: (svc: Running, engine: Engine) => Promise<void>,
    endpoint = S3.endpoint
  ): Promise<void> {
    const own = createS3Client(testConfig({ endpoint }), { credentials });
    let ownEngine: Engine | undefined;
    const ownSvc = await startService(testConfig({ rootDir: root, endpoint }), {
      s3Client: own,
      engine: { ...TUNING, downloadThreads: { script: path.join(bundleDir, GET_WORKER_BUNDLE), threads: 2 } },
      onEngine: e => (ownEngine = e)
    });
    try {
      await use(ownSvc, ownEngine!);
    } finally {
      await ownSvc.close();
      await ownEngine?.close();
      own.destroy();
    }
  }

  /** Download the object into the folder `dir`, byte-exact. */
  async function download(svc: Running, dir: string): Promise<void> {
    fs.mkdirSync(path.join(root, dir));
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/big.bin`], destination: dir });
    expect(job).toMatchObject({ state: 'done', bytes: { done: BODY.length } });
    expect(sha256(fs.readFileSync(path.join(root, dir, 'big.bin')))).toBe(sha256(BODY));
  }

  it('downloads on the threads, which ask the service thread for credentials again as they near their expiry', async () => {
    let asked = 0;
    const credentials = async () => {
      asked++;
      return { accessKeyId: 'testing', secretAccessKey: 'testing', expiration: new Date(Date.now() + 4 * 60000) };
    };
    await withOwnProvider(credentials, async (svc, engine) => {
      await download(svc, 'own');
      expect(engine.options.getThreads?.fetched).toBe(RANGES);
      // The listing and HEAD, and each range signed on a thread with credentials asked for again.
      expect(asked).toBeGreaterThanOrEqual(RANGES + 1);
    });
  });

  (VERSITYGW ? it.skip : it)(
    'whose keys are replaced: the threads sign with the new ones, asked again as the old near their expiry',
    async () => {
      // moto checks no signature: the proxy shows which key signed each GET.
      const proxy = await s3Proxy();
      let key = 'key-before';
      const credentials = async () => ({
        accessKeyId: key,
        secretAccessKey: 'testing',
        expiration: new Date(Date.now() + 4 * 60000)
      });
      const signers = () =>
        proxy.requests
          .filter(r => r.method === 'GET' && r.headers.range !== undefined)
          .map(r => /Credential=([^/]+)\//.exec(String(r.headers.authorization))?.[1]);
      try {
        await withOwnProvider(
          credentials,
          async (svc, engine) => {
            await download(svc, 'keys-1');
            expect(signers()).toEqual(Array(RANGES).fill('key-before'));
            key = 'key-after';
            await download(svc, 'keys-2');
            expect(signers().slice(RANGES)).toEqual(Array(RANGES).fill('key-after'));
            expect(engine.options.getThreads?.fetched).toBe(2 * RANGES);
          },
          proxy.url
        );
      } finally {
        await proxy.close();
      }
    }
  );

  it('far from their expiry: each thread asks for them (and the route) once', async () => {
    const credentials = async () => ({
      accessKeyId: 'testing',
      secretAccessKey: 'testing',
      expiration: new Date(Date.now() + 60 * 60000)
    });
    await withOwnProvider(credentials, async (svc, engine) => {
      await download(svc, 'far-1');
      await download(svc, 'far-2');
      const threads = engine.options.getThreads!;
      expect(threads.fetched).toBe(2 * RANGES);
      expect(threads.lent).toBeLessThanOrEqual(2 * threads.started);
    });
  });
});
