// Benchmark: the service under load, through the path a user's browser takes
// (JupyterLab server -> jupyter-server-proxy -> the service on its unix socket).
//
//   node bench/load.mjs [--objects 5000] [--concurrent 200] [--files 1000] [--file-mib 1] [--idle-seconds 20]
//   make bench-load
//
// Starts versitygw (posix backend, test/versitygw.js) with a folder of
// --objects objects, and JupyterLab on port $EOS_LOAD_PORT (default 8894) with
// the service pointed at it. Measures (1) --concurrent list requests at once,
// (2) sequential lists (the panel's pages) idle and during an upload of
// --files files from the server's disk, started as the panel starts it
// (POST api/transfer), and (3) in chromium, the panel's longest frames while
// browsing, idle and during a second such upload (bench/load-browser.mjs).
// Writes bench/results/load-<date>.md and prints it.
import { execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { browse } from './load-browser.mjs';
import { report } from './load-report.mjs';

const require = createRequire(import.meta.url);
const { startVersitygw } = require('../test/versitygw.js');
const { PutObjectCommand, S3Client } = require('@aws-sdk/client-s3');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    objects: { type: 'string', default: '5000' },
    concurrent: { type: 'string', default: '200' },
    files: { type: 'string', default: '1000' },
    'file-mib': { type: 'string', default: '1' },
    'idle-seconds': { type: 'string', default: '20' },
    out: { type: 'string', default: join(root, 'bench', 'results') },
    'cpu-prof': { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    headed: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false }
  }
});
const OBJECTS = Number(args.objects);
const CONCURRENT = Number(args.concurrent);
const FILES = Number(args.files);
const FILE_BYTES = Math.round(Number(args['file-mib']) * 2 ** 20);
const IDLE_MS = Number(args['idle-seconds']) * 1000;
const PORT = Number(process.env.EOS_LOAD_PORT || 8894);
const PYTHON = process.env.EOS_PYTHON || join(root, '.venv', 'bin', 'python');
/** The panel's default page (schema/plugin.json `pageSize`). */
const PAGE = 500;

// Any UUIDs: the org bucket is derived from the organization id, as on Explorer.
const USER_ID = '0b5e7a2c-1111-4d6e-9f00-cccccccccccc';
const ORG_ID = '3c0ffee0-2222-4a1b-8c3d-dddddddddddd';
const ORG_BUCKET = `gencove-explorer-${ORG_ID.replace(/-/g, '').slice(0, 12)}`;
const GENCOVE_BUCKET = 'gencove-explorer-data';
const KEYS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const BIG = 'e://users/me/big/';
const SOURCE = 'upload-src';

function log(...parts) {
  console.error(`[load ${new Date().toISOString().slice(11, 19)}]`, ...parts);
}

/** Run `fn` over `items` with at most `n` at a time. */
async function pool(items, n, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** The big folder (OBJECTS small objects) and a few small folders to expand, written with the SDK. */
async function seed(endpoint) {
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: KEYS });
  const base = `users/${USER_ID}/files`;
  const keys = Array.from({ length: OBJECTS }, (_, i) => `${base}/big/item-${String(i).padStart(6, '0')}.txt`);
  for (let d = 0; d < 10; d++) {
    for (let i = 0; i < 30; i++) {
      keys.push(`${base}/browse/dir-${d}/file-${String(i).padStart(3, '0')}.txt`);
    }
  }
  const started = Date.now();
  try {
    await pool(keys, 32, key => client.send(new PutObjectCommand({ Bucket: ORG_BUCKET, Key: key, Body: `${key}\n` })));
  } finally {
    client.destroy();
  }
  return (Date.now() - started) / 1000;
}

/** JupyterLab on PORT with the service's environment pointed at versitygw; resolves once it serves. */
async function startLab(work, endpoint) {
  const token = Array.from(randomFillSync(new Uint8Array(24)), b => b.toString(16).padStart(2, '0')).join('');
  const labRoot = join(work, 'root');
  mkdirSync(labRoot, { recursive: true });
  const config = join(work, 'config');
  const news = join(config, 'lab', 'user-settings', '@jupyterlab', 'apputils-extension');
  mkdirSync(news, { recursive: true });
  writeFileSync(join(news, 'notification.jupyterlab-settings'), '{"fetchNews": "false"}\n');
  const env = {
    ...process.env,
    GENCOVE_USER_ID: USER_ID,
    GENCOVE_ORGANIZATION_ID: ORG_ID,
    EOS_ENDPOINT_URL: endpoint,
    EOS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    AWS_CONFIG_FILE: os.devnull,
    AWS_SHARED_CREDENTIALS_FILE: os.devnull,
    AWS_EC2_METADATA_DISABLED: 'true',
    JUPYTER_CONFIG_DIR: config,
    JUPYTER_RUNTIME_DIR: join(work, 'runtime'),
    EOS_STATE_DIR: join(work, 'state'),
    // --cpu-prof DIR: the service (the one Node process JupyterLab starts) writes a V8 CPU profile there on exit.
    ...(args['cpu-prof'] && { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(args['cpu-prof'])}` })
  };
  const argv = ['-m', 'jupyterlab', '--no-browser', `--ServerApp.root_dir=${labRoot}`, '--ServerApp.ip=127.0.0.1'];
  argv.push(`--ServerApp.port=${PORT}`, '--ServerApp.port_retries=0', `--IdentityProvider.token=${token}`);
  if (process.getuid?.() === 0) {
    argv.push('--allow-root');
  }
  const proc = spawn(PYTHON, argv, { cwd: labRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const base = `http://127.0.0.1:${PORT}`;
  const until = Date.now() + 120000;
  for (;;) {
    if (proc.exitCode !== null || Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`JupyterLab did not serve on ${base} (exit ${proc.exitCode}):\n${stderr}`);
    }
    try {
      if ((await fetch(`${base}/api/status?token=${token}`)).ok) {
        break;
      }
    } catch {
      // not yet
    }
    await new Promise(r => setTimeout(r, 300));
  }
  return { proc, base, token, root: labRoot };
}

async function stop(proc, signal = 'SIGTERM') {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
    return;
  }
  const exited = new Promise(r => proc.once('exit', r));
  proc.kill(signal);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 20000);
  await exited;
  clearTimeout(timer);
}

/** A client of the service through JupyterLab: GET with a query, POST with a JSON body. */
function api(lab) {
  const headers = { Authorization: `token ${lab.token}` };
  return {
    async get(route, query, signal) {
      const t0 = performance.now();
      const res = await fetch(`${lab.base}/eos/${route}?${new URLSearchParams(query)}`, { headers, signal });
      const body = await res.text();
      return { ms: performance.now() - t0, status: res.status, body };
    },
    /** A route of JupyterLab's own server (not proxied). */
    async jupyter(route) {
      const t0 = performance.now();
      const res = await fetch(`${lab.base}/${route}`, { headers });
      await res.text();
      return { ms: performance.now() - t0, status: res.status };
    },
    async post(route, body) {
      const res = await fetch(`${lab.base}/eos/${route}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      });
      const text = await res.text();
      if (!res.ok) {
        throw new Error(`${route}: ${res.status} ${text}`);
      }
      return JSON.parse(text);
    }
  };
}

/** /proc figures of a process: RSS and its peak (bytes), CPU seconds (user + system). */
function procStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = name => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN) * 1024;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
    return { rss: kb('VmRSS'), peak: kb('VmHWM'), cpu };
  } catch {
    return null;
  }
}

/** The service: the child of the JupyterLab server that runs eos-service.cjs. */
function servicePid(labPid) {
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const ppid = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (Number(ppid) === labPid && cmd.includes('eos-service')) {
        return Number(pid);
      }
    } catch {
      // gone
    }
  }
  return null;
}

/** CPU seconds of each process between two `cpuOf` calls. */
function cpuOf(pids) {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, procStats(pid)?.cpu ?? NaN]));
}
function cpuSince(pids, before) {
  const now = cpuOf(pids);
  return Object.fromEntries(Object.keys(pids).map(name => [name, now[name] - before[name]]));
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}
function stats(values) {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values) };
}

/** The cursors of every page of the big folder, as the panel walks it (null: the first page). */
async function pageCursors(client) {
  const cursors = [null];
  for (;;) {
    const res = await client.get('api/list', listQuery(cursors.at(-1)));
    const page = JSON.parse(res.body);
    if (res.status !== 200) {
      throw new Error(`api/list: ${res.status} ${res.body}`);
    }
    if (!page.next) {
      return cursors;
    }
    cursors.push(page.next);
  }
}
function listQuery(cursor) {
  return cursor ? { uri: BIG, cursor, limit: String(PAGE) } : { uri: BIG, limit: String(PAGE) };
}

/** CONCURRENT list requests at once, spread over the folder's pages; the service's RSS sampled meanwhile. */
async function concurrentLists(client, cursors, servicePidValue, pids) {
  const samples = [];
  const sampler = setInterval(() => samples.push(procStats(servicePidValue)?.rss ?? 0), 20);
  const before = procStats(servicePidValue);
  const cpu = cpuOf(pids);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) =>
      client
        .get('api/list', listQuery(cursors[i % cursors.length]))
        .catch(error => ({ ms: NaN, status: 0, body: `${error}` }))
    )
  );
  const wall = performance.now() - t0;
  clearInterval(sampler);
  const failed = results.filter(r => r.status !== 200);
  const entries = results.filter(r => r.status === 200).map(r => JSON.parse(r.body).entries.length);
  return {
    latency: stats(results.filter(r => r.status === 200).map(r => r.ms)),
    wall,
    errors: failed.length,
    errorSamples: [...new Set(failed.map(r => `${r.status} ${r.body.slice(0, 200)}`))].slice(0, 3),
    entries: entries.reduce((a, b) => a + b, 0),
    rssBefore: before?.rss,
    rssPeak: Math.max(...samples, before?.rss ?? 0),
    cpu: cpuSince(pids, cpu)
  };
}

/** Walk the folder's pages one after another (the panel's pattern) until `done()`; answer each latency. */
async function sequentialLists(client, cursors, done) {
  const latencies = [];
  let errors = 0;
  for (let i = 0; !done(); i++) {
    const res = await client.get('api/list', listQuery(cursors[i % cursors.length]));
    if (res.status === 200) {
      latencies.push(res.ms);
    } else {
      errors++;
    }
  }
  return { ...stats(latencies), errors };
}

/**
 * Beside the lists, every 250 ms until `done()`: `api/whoami` (the proxy and
 * the service's event loop, no S3 call) and JupyterLab's `api/status` (Jupyter
 * alone), to tell the service's own delays from the machine's.
 */
async function probes(client, done) {
  const whoami = [];
  const status = [];
  while (!done()) {
    whoami.push((await client.get('api/whoami', {})).ms);
    status.push((await client.jupyter('api/status')).ms);
    await new Promise(r => setTimeout(r, 250));
  }
  return { whoami: stats(whoami), status: stats(status) };
}

/** Start an upload of the local SOURCE folder into `destination` as the panel does; resolve when it ends. */
async function upload(client, destination) {
  const job = await client.post('api/transfer', { kind: 'upload', sources: [SOURCE], destination });
  let state = job;
  while (!['done', 'failed', 'cancelled', 'interrupted'].includes(state.state)) {
    const res = await client.get('api/job', { id: job.id, wait: '30000' });
    state = JSON.parse(res.body);
  }
  if (state.state !== 'done' || state.objects.done !== FILES) {
    throw new Error(
      `the upload ended ${state.state} with ${state.objects.done} objects: ${JSON.stringify(state.error)}`
    );
  }
  return { seconds: (Date.parse(state.finished) - Date.parse(state.started)) / 1000, job: state };
}

/** Idle lists for IDLE_MS, then lists during an upload, with the CPU each process spent. */
async function listsDuringUpload(client, cursors, pids) {
  const idleEnd = performance.now() + IDLE_MS;
  let cpu = cpuOf(pids);
  const idleDone = () => performance.now() > idleEnd;
  const [idle, idleProbes] = await Promise.all([sequentialLists(client, cursors, idleDone), probes(client, idleDone)]);
  const idleCpu = cpuSince(pids, cpu);
  cpu = cpuOf(pids);
  let finished = false;
  const running = upload(client, 'e://users/me/incoming/').finally(() => {
    finished = true;
  });
  const [busy, busyProbes] = await Promise.all([
    sequentialLists(client, cursors, () => finished),
    probes(client, () => finished)
  ]);
  const up = await running;
  return { idle, busy, idleProbes, busyProbes, upload: up.seconds, idleCpu, busyCpu: cpuSince(pids, cpu) };
}

function writeSourceFiles(labRoot) {
  const dir = join(labRoot, SOURCE);
  mkdirSync(dir, { recursive: true });
  const chunk = Buffer.alloc(FILE_BYTES);
  for (let i = 0; i < FILES; i++) {
    randomFillSync(chunk);
    writeFileSync(join(dir, `f-${String(i).padStart(5, '0')}.bin`), chunk);
  }
}

async function main() {
  const command = `node ${relative(root, fileURLToPath(import.meta.url))} ${process.argv.slice(2).join(' ')}`.trim();
  const date = new Date().toISOString().slice(0, 10);
  const loadStart = os
    .loadavg()
    .map(v => v.toFixed(2))
    .join(' ');
  const work = mkdtempSync(join(os.tmpdir(), 'eos-load-'));
  let s3 = null;
  let lab = null;
  try {
    log('starting versitygw');
    s3 = await startVersitygw([ORG_BUCKET, GENCOVE_BUCKET]);
    log(`seeding ${OBJECTS} objects into ${BIG}`);
    const seedSeconds = await seed(s3.endpoint);
    lab = await startLab(work, s3.endpoint);
    log(`JupyterLab on ${lab.base}; writing ${FILES} local files`);
    writeSourceFiles(lab.root);
    const client = api(lab);
    const cursors = await pageCursors(client); // also starts the service
    const service = servicePid(lab.proc.pid);
    if (!service) {
      throw new Error('could not find the service process');
    }
    const pids = { service, jupyter: lab.proc.pid, versitygw: s3.proc.pid };
    await sequentialLists(
      client,
      cursors,
      (
        n => () =>
          n-- <= 0
      )(2 * cursors.length)
    ); // warm up
    log(`${CONCURRENT} concurrent lists over ${cursors.length} pages`);
    const conc = await concurrentLists(client, cursors, service, pids);
    log(`idle lists for ${IDLE_MS / 1000} s, then lists during an upload of ${FILES} files`);
    const lists = await listsDuringUpload(client, cursors, pids);
    log('browsing in chromium, idle and during a second upload');
    const frames = args['no-browser']
      ? null
      : await browse(lab, IDLE_MS, { headed: args.headed, upload: d => upload(client, d) });
    const commit = (() => {
      try {
        const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
        return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain') ? ' (modified)' : '');
      } catch {
        return '?';
      }
    })();
    const setup = { BIG, OBJECTS, PORT, PAGE, CONCURRENT, FILES, FILE_BYTES, fileMib: args['file-mib'] };
    const text = report({ date, command, commit, loadStart, seedSeconds, conc, lists, frames }, setup);
    mkdirSync(args.out, { recursive: true });
    const out = join(args.out, `load-${date}.md`);
    writeFileSync(out, text);
    console.log(text);
    log(`written to ${relative(root, out)}`);
  } finally {
    await stop(lab?.proc);
    await stop(s3?.proc);
    if (!args.keep) {
      rmSync(work, { recursive: true, force: true });
      if (s3?.dir && existsSync(s3.dir)) {
        rmSync(s3.dir, { recursive: true, force: true });
      }
    } else {
      log(`kept ${work} and ${s3?.dir}`);
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
