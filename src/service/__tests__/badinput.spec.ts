/**
 * Bad input on every route (issue 16): the cases of `badinput-cases.ts`,
 * walked over the server's own route map, each answered with a 4xx whose
 * message names the problem, and nothing changed (both buckets, the local
 * root, a folder outside it, the job list).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskMonitor } from '../engine';
import { MAX_BODY_BYTES } from '../http/http';
import { routeMap } from '../http/routes';
import {
  BadValue,
  Extra,
  Fields,
  RouteCases,
  Shape,
  badIds,
  badLocals,
  badUris,
  badWrites,
  fieldOf,
  routeCases,
  withField
} from './badinput-cases';
import { Reply, S3, deletePrefix, keysUnder, putObjects, serviceSuite, testConfig, uniqueName } from './harness';

const F = uniqueName('bad');
const ROOT = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eos-bad-root-')));
const OUTSIDE = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eos-bad-out-')));
fs.writeFileSync(path.join(ROOT, 'local.txt'), 'local');
fs.mkdirSync(path.join(ROOT, 'sub'));
fs.writeFileSync(path.join(ROOT, 'sub', 'b.txt'), 'b');
fs.writeFileSync(path.join(OUTSIDE, 'secret.txt'), 'outside');
fs.symlinkSync(OUTSIDE, path.join(ROOT, 'out'));

const OTHER = `users/${S3.otherUserId}/files/${F}/`;
const suite = serviceSuite({
  cleanup: [`${F}/`, [S3.gencoveBucket, `files/${F}/`], OTHER],
  config: testConfig({ rootDir: ROOT }),
  seed: async client => {
    await putObjects(client, S3.orgBucket, { [`shared/files/${F}/a.txt`]: 'a', [`${OTHER}o.txt`]: 'o' });
    await putObjects(client, S3.gencoveBucket, { [`files/${F}/g.txt`]: 'g' });
  }
});

afterAll(async () => {
  await deletePrefix(suite.client, S3.orgBucket, `shared/files/${F}/`);
  fs.rmSync(ROOT, { recursive: true, force: true });
  fs.rmSync(OUTSIDE, { recursive: true, force: true });
});

/** Every file and folder under `dir`, with its size. */
function tree(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map(e => {
      const full = path.join(e.parentPath, e.name);
      return `${path.relative(dir, full)} ${e.isSymbolicLink() ? 'link' : fs.lstatSync(full).size}`;
    })
    .sort();
}

/** What a bad request must not change. */
async function snapshot(): Promise<Record<string, unknown>> {
  return {
    org: await keysUnder(suite.client, S3.orgBucket, ''),
    gencove: await keysUnder(suite.client, S3.gencoveBucket, ''),
    root: tree(ROOT),
    outside: tree(OUTSIDE),
    jobs: (await suite.svc.get('/api/jobs')).body.jobs.map((j: { id: string }) => j.id)
  };
}

/** `METHOD /path` of every route the server dispatches. */
function dispatched(): string[] {
  const deps = {
    config: testConfig(),
    needStore: () => {
      throw new Error('unused');
    },
    needEngine: () => {
      throw new Error('unused');
    },
    disk: {} as DiskMonitor
  };
  const keys: string[] = [];
  for (const [p, route] of routeMap(deps)) {
    for (const method of ['GET', 'POST', 'PUT'] as const) {
      if (route[method]) {
        keys.push(`${method} ${p}`);
      }
    }
  }
  return keys.sort();
}

const TABLE = routeCases({ folder: F });
const ROUTES = dispatched();

/** A case as the spec sends it. */
interface Case {
  name: string;
  body?: string | Buffer;
  query?: Record<string, string>;
  contentType?: string;
  status: number;
  message: RegExp;
}

const json = (fields: Fields) => JSON.stringify(fields);

/** The generic body cases: malformed JSON, an unknown field, each field of the wrong type, too big. */
function bodyCases(body: Fields, limit: number): Case[] {
  const cases: Case[] = [
    { name: 'malformed JSON', body: json(body).slice(0, -1), status: 400, message: /not valid JSON/ },
    { name: 'a JSON array', body: '[]', status: 400, message: /must be a JSON object/ },
    { name: 'an unknown field', body: json({ ...body, bogus: 1 }), status: 400, message: /unknown field 'bogus'/ },
    {
      name: 'a body over the limit',
      body: json({ ...body, pad: 'x'.repeat(limit) }),
      status: 413,
      message: /larger than/
    }
  ];
  for (const [field, value] of Object.entries(body)) {
    cases.push({
      name: `'${field}' of the wrong type`,
      body: json({ ...body, [field]: typeof value === 'string' ? 42 : 'x' }),
      status: 400,
      message: new RegExp(`Invalid '${field}': must be`)
    });
  }
  return cases;
}

/** One shape's field cases: each bad value in each field. */
function shapeCases(shape: Shape): Case[] {
  const fields = shape.body ?? shape.query ?? {};
  const groups: [string[] | undefined, (base: string) => BadValue[]][] = [
    [shape.uris, badUris],
    [shape.locals, badLocals],
    [shape.writes, base => badWrites(F, base)],
    [shape.ids, badIds]
  ];
  const cases: Case[] = [];
  for (const [at, values] of groups) {
    for (const field of at ?? []) {
      for (const bad of values(String(fieldOf(fields, field)))) {
        const changed = withField(fields, field, bad.value);
        cases.push({
          name: `${bad.name} in '${field}'${shape.body && 'kind' in shape.body ? ` (${shape.body.kind})` : ''}`,
          ...(shape.body ? { body: json(changed) } : { query: changed as Record<string, string> }),
          status: bad.status,
          message: shape.say?.[bad.name] ?? bad.message
        });
      }
    }
  }
  return cases;
}

/** Every case of a route. */
function casesOf(key: string, cases: RouteCases): Case[] {
  const [, p] = key.split(' ');
  const limit = p === '/api/uploads' || p === '/api/changed' ? 1024 * 1024 : MAX_BODY_BYTES;
  const shapes = cases.shapes ?? [];
  const all: Case[] = [];
  if (shapes[0]?.body) {
    all.push(...bodyCases(shapes[0].body, limit));
  }
  for (const shape of shapes) {
    all.push(...shapeCases(shape));
  }
  const query = shapes[0]?.query ?? {};
  for (const [name, value, message] of cases.badQuery ?? []) {
    all.push({ name: `query '${name}' = ${value}`, query: { ...query, [name]: value }, status: 400, message });
  }
  for (const extra of cases.extra ?? []) {
    all.push(fromExtra(extra));
  }
  return all;
}

function fromExtra(extra: Extra): Case {
  const { name, status, message } = extra;
  return { name, status, message, query: extra.query, body: extra.raw ?? (extra.body && json(extra.body)) };
}

/** Send a case to the route `key`. */
function send(key: string, c: Case): Promise<Reply> {
  const [method, p] = key.split(' ');
  return suite.svc.request({
    method,
    path: c.query ? `${p}?${new URLSearchParams(c.query)}` : p,
    headers: {
      Authorization: 'token test',
      ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      ...(method === 'PUT' ? { 'Content-Type': 'application/octet-stream' } : {})
    },
    body: c.body ?? (method === 'PUT' ? 'changed' : undefined)
  });
}

it('has bad-input cases for every route the server dispatches, and for no other', () => {
  expect(Object.keys(TABLE).sort()).toEqual(ROUTES);
  for (const [key, cases] of Object.entries(TABLE)) {
    const count = casesOf(key, cases).length;
    // A route has cases, or says why it takes no input that could be bad.
    expect({ key, some: count > 0 || cases.none !== undefined }).toEqual({ key, some: true });
  }
});

describe.each(ROUTES.filter(key => TABLE[key] && !TABLE[key].none))('%s', key => {
  const cases = casesOf(key, TABLE[key]);
  let before: Record<string, unknown>;

  beforeAll(async () => {
    before = await snapshot();
  });

  it.each(cases.map(c => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const reply = await send(key, c);
    const answer = { status: reply.status, code: typeof reply.body?.code, message: reply.body?.message };
    expect(answer).toEqual({ status: c.status, code: 'string', message: expect.stringMatching(c.message) });
  });

  it('changed nothing', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
