/**
 * The world the bad-input and security specs share (a root with a symlink out
 * of it, objects in the org bucket, e://gencove/ and another user's space),
 * and the requests built from the table of `badinput-cases.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeleteBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { MAX_BODY_BYTES } from '../http/http';
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
  withField
} from './badinput-cases';
import {
  Reply,
  Running,
  S3,
  createBucket,
  deletePrefix,
  dropBucket,
  keysUnder,
  putObjects,
  uniqueName
} from './harness';

/** A suite's folders: `folder` in each namespace, a root and a folder outside it. */
export interface World {
  folder: string;
  root: string;
  outside: string;
  /** The other user's prefix in the org bucket. */
  other: string;
  seed(client: S3Client): Promise<void>;
  /** Remove what `seed` wrote and the local folders. */
  clean(client: S3Client): Promise<void>;
}

/** Make a world: `local.txt`, `sub/b.txt` and `out` (a symlink to a folder outside) in a new root. */
export function makeWorld(label: string): World {
  const F = uniqueName(label);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `eos-${label}-root-`)));
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `eos-${label}-out-`)));
  fs.writeFileSync(path.join(root, 'local.txt'), 'local');
  fs.mkdirSync(path.join(root, 'sub'));
  fs.writeFileSync(path.join(root, 'sub', 'b.txt'), 'b');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside');
  fs.symlinkSync(outside, path.join(root, 'out'));
  const other = `users/${S3.otherUserId}/files/${F}/`;
  return {
    folder: F,
    root,
    outside,
    other,
    seed: async client => {
      await putObjects(client, S3.orgBucket, { [`shared/files/${F}/a.txt`]: 'a', [`${other}o.txt`]: 'o' });
      await putObjects(client, S3.gencoveBucket, { [`files/${F}/g.txt`]: 'g' });
    },
    clean: async client => {
      await deletePrefix(client, S3.orgBucket, `shared/files/${F}/`);
      await deletePrefix(client, S3.orgBucket, other);
      await deletePrefix(client, S3.orgBucket, `users/${S3.userId}/files/${F}/`);
      await deletePrefix(client, S3.gencoveBucket, `files/${F}/`);
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  };
}

/**
 * Create `bucket` holding `objects`, with a policy denying GetObject and
 * HeadObject on all of it (moto enforces explicit Deny statements on object
 * requests). Answers a function that removes the policy and the bucket.
 */
export async function deniedBucket(
  client: S3Client,
  bucket: string,
  objects: Record<string, string>
): Promise<() => Promise<void>> {
  await createBucket(client, bucket);
  await putObjects(client, bucket, objects);
  const Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:GetObject', 's3:HeadObject'],
        Resource: `arn:aws:s3:::${bucket}/*`
      }
    ]
  });
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
  return async () => {
    await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await dropBucket(client, bucket);
  };
}

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

/** What a refused request must not change: both buckets, the root, the folder outside, the job list. */
export async function snapshot(world: World, client: S3Client, svc: Running): Promise<Record<string, unknown>> {
  return {
    org: await keysUnder(client, S3.orgBucket, ''),
    gencove: await keysUnder(client, S3.gencoveBucket, ''),
    root: tree(world.root),
    outside: tree(world.outside),
    jobs: (await svc.get('/api/jobs')).body.jobs.map((j: { id: string }) => j.id)
  };
}

/** A case as the spec sends it. */
export interface Case {
  name: string;
  body?: string | Buffer;
  query?: Record<string, string>;
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
function shapeCases(shape: Shape, F: string): Case[] {
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

/** Every case of a route (in the world of folder `F`). */
export function casesOf(key: string, cases: RouteCases, F: string): Case[] {
  const [, p] = key.split(' ');
  const limit = p === '/api/uploads' || p === '/api/changed' ? 1024 * 1024 : MAX_BODY_BYTES;
  const shapes = cases.shapes ?? [];
  const all: Case[] = [];
  if (shapes[0]?.body) {
    all.push(...bodyCases(shapes[0].body, limit));
  }
  for (const shape of shapes) {
    all.push(...shapeCases(shape, F));
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

/** Send a case to the route `key`, with token headers unless `headers` are given. */
export function send(svc: Running, key: string, c: Case, headers?: Record<string, string>): Promise<Reply> {
  const [method, p] = key.split(' ');
  return svc.request({
    method,
    path: c.query ? `${p}?${new URLSearchParams(c.query)}` : p,
    headers: {
      ...(headers ?? { Authorization: 'token test' }),
      ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      ...(method === 'PUT' ? { 'Content-Type': 'application/octet-stream' } : {})
    },
    body: c.body ?? (method === 'PUT' ? 'changed' : undefined)
  });
}
