/**
 * Security (issue 16), walked over the server's own route map:
 * - no cross-site request, and no cookie request without the XSRF token,
 *   reaches the engine: every route answers 403 and the service sends no S3
 *   call, starts no job and changes nothing;
 * - no AWS secret key or session token in anything the service answers or
 *   logs: a service whose credentials are a made-up secret and session token
 *   answers every route (each route's valid requests and all its bad-input
 *   cases), the event stream, missing buckets and denied objects, and every
 *   answer (status, headers, body), event and log line is searched for both.
 *   Presigned URLs carry the session token by S3's design
 *   (`X-Amz-Security-Token`): that is the one place it may appear, and is
 *   counted, which also shows the search would find it.
 */
import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { casesOf, deniedBucket, makeWorld, send, snapshot } from './badinput-build';
import { dispatchedRoutes, routeCases } from './badinput-cases';
import {
  Reply,
  Running,
  S3,
  countingClient,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName,
  until
} from './harness';
import { openStream } from './sse-client';

const world = makeWorld('sec');
const ROUTES = dispatchedRoutes();
const TABLE = routeCases({ folder: world.folder });
const XSRF = '2|abcdef01|0123456789abcdef|1700000000';

let client: S3Client;
beforeAll(async () => {
  client = testClient();
  await world.seed(client);
});
afterAll(async () => {
  await world.clean(client);
  client.destroy();
});

/** A route's first valid request (a case that would pass the checks). */
function validCase(key: string) {
  const shape = TABLE[key].shapes?.[0];
  return {
    name: 'valid',
    status: 200,
    message: /./,
    ...(shape?.body ? { body: JSON.stringify(shape.body) } : {}),
    query: shape?.query
  };
}

describe('requests that must not reach the engine', () => {
  let svc: Running;
  let calls: string[];

  beforeAll(async () => {
    const counting = countingClient();
    calls = counting.calls;
    svc = await startService(testConfig({ rootDir: world.root }), { s3Client: counting.client });
  });
  afterAll(async () => {
    await svc?.close();
  });

  const unsafe = ROUTES.filter(key => !key.startsWith('GET '));
  const refusals: [string, string, Record<string, string>, RegExp][] = [
    ...ROUTES.map(
      key =>
        [
          key,
          'cross-site',
          { 'Sec-Fetch-Site': 'cross-site', Authorization: 'token test', Accept: 'text/event-stream' },
          /^Cross-site requests are not allowed$/
        ] as [string, string, Record<string, string>, RegExp]
    ),
    ...unsafe.map(
      key =>
        [key, 'a cookie and no X-XSRFToken', { Cookie: `_xsrf=${XSRF}` }, /need an X-XSRFToken header/] as [
          string,
          string,
          Record<string, string>,
          RegExp
        ]
    ),
    ...unsafe.map(
      key =>
        [
          key,
          'a cookie and a wrong X-XSRFToken',
          { Cookie: `_xsrf=${XSRF}`, 'X-XSRFToken': `${XSRF}0` },
          /does not match the _xsrf cookie/
        ] as [string, string, Record<string, string>, RegExp]
    )
  ];

  it('refuses every route cross-site, and every POST and PUT without the XSRF token; no S3 call, no change', async () => {
    const before = await snapshot(world, client, svc);
    const answers: string[] = [];
    for (const [key, what, headers, message] of refusals) {
      const reply = await send(svc, key, validCase(key), {
        ...headers,
        ...(key.startsWith('POST') ? { 'Content-Type': 'application/json' } : {})
      });
      const ok = reply.status === 403 && reply.body?.code === 'Forbidden' && message.test(reply.body.message);
      answers.push(`${key} ${what}: ${ok ? 'refused' : `${reply.status} ${reply.raw.slice(0, 200)}`}`);
    }
    expect(answers.filter(a => !a.endsWith(': refused'))).toEqual([]);
    expect(answers.length).toBe(ROUTES.length + 2 * unsafe.length);
    expect(calls).toEqual([]);
    expect(await snapshot(world, client, svc)).toEqual(before);
  });
});

describe('no secret key or session token in answers and logs', () => {
  const SECRET = `eosSecretKey${randomBytes(16).toString('hex')}`;
  const SESSION = `eosSessionToken${randomBytes(32).toString('hex')}`;
  const saved = { ...process.env };
  const denied = uniqueName('eos-sec-deny');
  let drop: () => Promise<void>;
  const transcript: string[] = [];
  const services: Running[] = [];

  const record = (reply: Reply) => {
    transcript.push(`${reply.status} ${JSON.stringify(reply.headers)} ${reply.raw}`);
    return reply;
  };

  beforeAll(async () => {
    // The service's own client takes these from the environment, as in production.
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    process.env.AWS_SESSION_TOKEN = SESSION;
    drop = await deniedBucket(client, denied, { 'shared/files/secret.bam': 'secret' });
  });
  afterAll(async () => {
    for (const svc of services) {
      await svc.close();
    }
    process.env = saved;
    await drop();
  });

  /** Every place a secret could hide in `text`, the session token's presigned-URL parameter taken out first. */
  function leaks(text: string): { found: string[]; presigned: number } {
    const param = `X-Amz-Security-Token=${encodeURIComponent(SESSION)}`;
    const presigned = text.split(param).length - 1;
    const rest = text.split(param).join('');
    const forms = [SECRET, SESSION].flatMap(s => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')]);
    return { found: forms.filter(f => rest.includes(f)), presigned };
  }

  it('answers every route, its bad input, the event stream and S3 errors without them', async () => {
    const svc = await startService(testConfig({ rootDir: world.root }));
    services.push(svc);
    const stream = await openStream(svc.socket, '/api/events');
    for (const key of ROUTES.filter(k => TABLE[k] && !TABLE[k].none)) {
      for (const shape of TABLE[key].shapes ?? []) {
        const c = { ...validCase(key), query: shape.query, body: shape.body && JSON.stringify(shape.body) };
        record(await send(svc, key, c));
      }
      for (const c of casesOf(key, TABLE[key], world.folder)) {
        record(await send(svc, key, c));
      }
    }
    // The jobs those started, ended (a question left unanswered is cancelled), with their errors.
    const running = async () =>
      (await svc.get('/api/jobs')).body.jobs.filter((j: { state: string }) => j.state === 'running');
    for (const job of await running()) {
      record(await svc.post('/api/job/cancel', { id: job.id }));
    }
    await until(async () => (await running()).length === 0);
    record(await svc.get('/api/jobs'));
    // The valid requests above deleted and moved what they were given: presign an object written now.
    await putObjects(client, S3.orgBucket, { [`shared/files/${world.folder}/p.txt`]: 'p' });
    for (const download of [false, true]) {
      record(await svc.post('/api/presign', { uri: `e://org/${world.folder}/p.txt`, download }));
    }
    // S3's own errors: a bucket that does not exist, objects a policy denies.
    const noBucket = await startService(testConfig({ rootDir: world.root, orgBucket: uniqueName('eos-sec-nosuch') }));
    const deny = await startService(testConfig({ rootDir: world.root, orgBucket: denied }));
    services.push(noBucket, deny);
    for (const other of [noBucket, deny]) {
      record(await other.get('/api/list', { uri: 'e://org/' }));
      record(await other.get('/api/stat', { uri: 'e://org/secret.bam' }));
      record(await other.get('/api/content', { uri: 'e://org/secret.bam' }));
      record(await other.post('/api/presign', { uri: 'e://org/secret.bam' }));
      const job = record(await other.post('/api/copy', { sources: ['e://org/secret.bam'], destination: 'e://org/x/' }));
      if (job.status === 200) {
        record(await other.get('/api/job', { id: job.body.id, wait: 10000 }));
      }
    }
    await stream.close();
    transcript.push(JSON.stringify(stream.events));
    const logs = services.flatMap(s => s.logs);

    const statuses = new Set(transcript.map(t => t.slice(0, 3)));
    expect(transcript.length).toBeGreaterThan(400);
    expect([...statuses].filter(s => /^[45]/.test(s)).length).toBeGreaterThan(4);
    expect(leaks(transcript.join('\n')).found).toEqual([]);
    expect(leaks(logs.join('\n')).found).toEqual([]);
    // The token is where S3 needs it, in presigned URLs (and the search sees it there).
    expect(leaks(transcript.join('\n')).presigned).toBeGreaterThan(0);
  }, 300000);
});
