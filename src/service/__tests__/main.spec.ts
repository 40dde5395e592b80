/**
 * The bundled entry point as jupyter-server-proxy runs it: built with
 * scripts/build-service.mjs into a temporary directory, then spawned.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Reply, S3, request, expectError } from './harness';
import { ENTRIES, buildBundle } from './bundle';
import { GET_WORKER_BUNDLE } from '../engine/transfer/threads';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

let dir: string;
let bundle: string;
const children: ChildProcess[] = [];

const ENV = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GENCOVE_USER_ID: S3.userId,
  GENCOVE_ORGANIZATION_ID: S3.orgId,
  EOS_ENDPOINT_URL: S3.endpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true'
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-main-'));
  bundle = path.join(dir, 'eos-service.cjs');
  buildBundle(bundle);
  // The download threads' bundle beside it, as the package ships them.
  buildBundle(path.join(dir, GET_WORKER_BUNDLE), ENTRIES.getWorker);
});

afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Spawn the bundle with `args`, collecting its standard error. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv = ENV
): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { ...env, EOS_ROOT_DIR: dir, EOS_STATE_DIR: dir },
    stdio: ['ignore', 'ignore', 'pipe']
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', chunk => (stderr += chunk));
  const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

/** Poll `GET /` until the service answers. */
async function ready(socket: string): Promise<Reply> {
  for (let i = 0; i < 200; i++) {
    try {
      return await request(socket, { path: '/' });
    } catch {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nothing answers on ${socket}`);
}

/** Wait until `check` holds, polling. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

it('refuses to start without --socket (exit code 2)', async () => {
  const { exit, stderr } = run([]);
  expect(await exit).toBe(2);
  expect(stderr()).toContain('--socket <path> is required');
});

it('serves on the socket (mode 0600), reports the package version, exits 0 on SIGTERM', async () => {
  const socket = path.join(dir, 'a.sock');
  const { child, exit, stderr } = run(['--socket', socket]);
  const root = await ready(socket);
  expect(root.body).toEqual({ service: 'jupyterlab-eos', version: VERSION });
  expect(fs.statSync(socket).mode & 0o777).toBe(0o600);

  const whoami = await request(socket, { path: '/api/whoami' });
  expect(whoami.body).toMatchObject({ userId: S3.userId, version: VERSION });
  const list = await request(socket, { path: '/api/list?uri=e%3A%2F%2Forg%2F' });
  expect(list.status).toBe(200);

  child.kill('SIGTERM');
  expect(await exit).toBe(0);
  expect(fs.existsSync(socket)).toBe(false);
  expect(stderr()).toContain(`eos-service ${VERSION} listening on ${socket}`);
  expect(stderr()).toMatch(
    /; \d+ transfer threads, \d+ to 256 files \(raised while the rate grows\), \d+ ranges and \d+ parts in flight\n/
  );
  expect(stderr()).toMatch(/GET \/api\/list 200 \d+ms/);
  expect(stderr()).not.toContain('NodeVersionSupportWarning');
});

it('starts unconfigured without ids, explaining what to set', async () => {
  const socket = path.join(dir, 'b.sock');
  const { GENCOVE_USER_ID: _u, GENCOVE_ORGANIZATION_ID: _o, ...env } = ENV;
  const { child, exit } = run(['--socket', socket], env);
  await ready(socket);
  const reply = await request(socket, { path: '/api/whoami' });
  expectError(reply, 503, 'NotConfigured');
  child.kill('SIGINT');
  expect(await exit).toBe(0);
});

it('replaces a stale socket left by a killed run', async () => {
  const socket = path.join(dir, 'c.sock');
  const first = run(['--socket', socket]);
  await ready(socket);
  first.child.kill('SIGKILL');
  await first.exit;
  expect(fs.existsSync(socket)).toBe(true);
  await expect(request(socket, { path: '/' })).rejects.toThrow();

  const second = run(['--socket', socket]);
  expect((await ready(socket)).status).toBe(200);
  second.child.kill('SIGTERM');
  expect(await second.exit).toBe(0);
});

it('refuses to replace a file that is not a socket', async () => {
  const socket = path.join(dir, 'not-a-socket');
  fs.writeFileSync(socket, 'precious');
  const { exit, stderr } = run(['--socket', socket]);
  expect(await exit).toBe(2);
  expect(stderr()).toContain('is not a socket');
  expect(fs.readFileSync(socket, 'utf8')).toBe('precious');
});

it('exits with a non-zero code when it cannot listen', async () => {
  const { exit, stderr } = run(['--socket', path.join(dir, 'no-such-dir', 'x.sock')]);
  expect(await exit).toBe(1);
  expect(stderr()).toContain('fatal');
});

it('exits when its parent process goes away', async () => {
  const socket = path.join(dir, 'd.sock');
  // A shell starts the service, waits until it listens, prints its pid and exits.
  const script =
    `"${process.execPath}" "${bundle}" --socket "${socket}" 2>/dev/null & pid=$!; ` +
    `while [ ! -S "${socket}" ]; do sleep 0.05; done; echo $pid`;
  const pid = Number(
    execFileSync('sh', ['-c', script], { env: { ...ENV, EOS_ROOT_DIR: dir } })
      .toString()
      .trim()
  );
  expect(pid).toBeGreaterThan(0);
  await until(() => !fs.existsSync(socket));
  expect(fs.existsSync(socket)).toBe(false);
  await until(() => !alive(pid));
  expect(alive(pid)).toBe(false);
});

/** Whether a process runs (a zombie waiting for its reaper does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

it('never listens on TCP', async () => {
  const socket = path.join(dir, 'e.sock');
  const { child, exit } = run(['--socket', socket]);
  await ready(socket);
  const tcp = fs.readFileSync('/proc/net/tcp', 'utf8') + fs.readFileSync('/proc/net/tcp6', 'utf8');
  const inodes = fs
    .readdirSync(`/proc/${child.pid}/fd`)
    .map(fd => {
      try {
        return fs.readlinkSync(`/proc/${child.pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .map(link => /^socket:\[(\d+)\]$/.exec(link)?.[1])
    .filter((inode): inode is string => inode !== undefined);
  // A TCP listener is a line of /proc/net/tcp* in state 0A (LISTEN) owned by one of its sockets.
  const listening = tcp.split('\n').filter(line => {
    const cols = line.trim().split(/\s+/);
    return cols[3] === '0A' && inodes.includes(cols[9]);
  });
  expect(listening).toEqual([]);
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
});
