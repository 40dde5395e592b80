/**
 * Test harness of the `eos` command line: the CLI bundled from the current
 * sources (as the wheel ships it), run as a child process against the moto
 * server of the service tests, with a temporary Jupyter root.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { userPrefix } from '../../../core';
import { S3, deletePrefix, keysUnder, testClient, uniqueName } from '../../__tests__/harness';
import { ENTRIES, buildBundle } from '../../__tests__/bundle';
import { GET_WORKER_BUNDLE } from '../../engine/transfer/threads';

export { S3, testClient, uniqueName };

/** Nothing listens there: a command that reaches S3 fails with "Cannot reach S3". */
export const NO_S3 = { EOS_ENDPOINT_URL: 'http://127.0.0.1:9' };

/** What a run of `eos` gave. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Bundle the CLI into a temporary folder (once per test file), its download
 * threads beside it as the package ships them; answers the bundle's path.
 */
export async function buildCli(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-cli-build-'));
  buildBundle(path.join(dir, GET_WORKER_BUNDLE), ENTRIES.getWorker);
  return buildBundle(path.join(dir, 'eos-cli.cjs'), ENTRIES.cli, false);
}

/** A temporary Jupyter root (a realpath). */
export function tempRoot(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eos-cli-root-')));
}

/** The environment `eos` gets: the test ids, moto, static credentials, the root. */
export function cliEnv(root: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GENCOVE_USER_ID: S3.userId,
    GENCOVE_ORGANIZATION_ID: S3.orgId,
    EOS_ORG_BUCKET: S3.orgBucket,
    EOS_GENCOVE_BUCKET: S3.gencoveBucket,
    EOS_ENDPOINT_URL: S3.endpoint,
    EOS_ROOT_DIR: root,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) {
      delete env[k];
    }
  }
  return env;
}

/** Start `eos` with `args`; `cwd` defaults to the root. */
export function spawnEos(
  cli: string,
  args: string[],
  root: string,
  options: { cwd?: string; env?: Record<string, string | undefined> } = {}
): ChildProcess {
  return spawn(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? root,
    env: cliEnv(root, options.env),
    stdio: ['ignore', 'pipe', 'pipe']
  });
}

/** Wait for a started `eos` to end, with what it wrote. */
export function finished(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', d => (stdout += d));
  child.stderr!.on('data', d => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Run `eos` with `args` to its end. */
export function eos(
  cli: string,
  args: string[],
  root: string,
  options: { cwd?: string; env?: Record<string, string | undefined> } = {}
): Promise<Run> {
  return finished(spawnEos(cli, args, root, options));
}

/** The S3 key prefix of `e://users/me/<folder>/`. */
export function myPrefix(folder: string): string {
  return `${userPrefix(S3.userId)}${folder}/`;
}

/** An object's bytes. */
export async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** Every file under a local folder, relative, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        walk(path.join(d, e.name), r);
      } else {
        out.push(r);
      }
    }
  };
  walk(dir, '');
  return out.sort();
}

/** A test file's world: the CLI, a root, an S3 client, and a folder of its own in `e://users/me/`. */
export interface Suite {
  cli: string;
  root: string;
  client: S3Client;
  /** `users/<id>/files/<folder>/` */
  prefix: string;
  /** `e://users/me/<folder>/` */
  base: string;
  /** Run `eos` with `args` in the root (or `options.cwd`). */
  run(args: string[], options?: { cwd?: string; env?: Record<string, string | undefined> }): Promise<Run>;
  /** The keys under `<folder>/<sub>`, relative to it, sorted. */
  keys(sub: string): Promise<string[]>;
}

/** Set up a suite (beforeAll) and remove its folder (afterAll). */
export function cliSuite(label: string): Suite {
  const folder = uniqueName(label);
  const suite: Suite = {
    cli: '',
    root: '',
    client: undefined as unknown as S3Client,
    prefix: myPrefix(folder),
    base: `e://users/me/${folder}/`,
    run: (args, options) => eos(suite.cli, args, suite.root, options),
    keys: async sub =>
      (await keysUnder(suite.client, S3.orgBucket, `${suite.prefix}${sub}`))
        .map(k => k.slice(suite.prefix.length + sub.length))
        .sort()
  };
  beforeAll(async () => {
    suite.cli = await buildCli();
    suite.root = tempRoot();
    suite.client = testClient();
  });
  afterAll(async () => {
    await deletePrefix(suite.client, S3.orgBucket, suite.prefix);
    suite.client.destroy();
  });
  return suite;
}
