// The downloads' CPU per GiB (issue 18, item 2): the engine's download of one
// big object and of a folder of small ones from versitygw on loopback, next to
// Node's floor (bench/node-http-floor.mjs with positioned writes, one thread),
// in the same run. CPU is user + system seconds of the whole process (from
// /usr/bin/time), which the other work on a shared machine skews far less
// than wall time. Builds of other checkouts can run beside this one's.
//
//   node bench/datapath.mjs [--big-mib 1024] [--files 1000] [--file-mib 1] [--repeat 3]
//                           [--build NAME=CHECKOUT[,VAR=VALUE...]]... [--uploads] [--out FILE]
//
// `--uploads` adds the uploads' rows (issue 18, item 3): the engine uploading
// the same big file and folder from the local disk (no floor row for them),
// with the 99th percentile of its main thread's event-loop delay in each run.
//
// Each `--build` bundles bench/engine-transfer.ts and the download threads of
// CHECKOUT (default: this one, named "this"), run with the variables given
// (e.g. EOS_TRANSFER_THREADS=1); the same checkout may be named twice. Prints a Markdown table (the
// median of the runs, every run in brackets) and writes it to --out if given.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUCKET, USER_ID, engineEnv } from './engine-env.mjs';

const require = createRequire(import.meta.url);
const { startVersitygw } = require('../test/versitygw.js');
const {
  S3Client,
  PutObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand
} = require('@aws-sdk/client-s3');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    'big-mib': { type: 'string', default: '1024' },
    files: { type: 'string', default: '1000' },
    'file-mib': { type: 'string', default: '1' },
    repeat: { type: 'string', default: '3' },
    build: { type: 'string', multiple: true, default: [] },
    uploads: { type: 'boolean', default: false },
    out: { type: 'string' }
  }
});
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const BIG_BYTES = Number(args['big-mib']) * MiB;
const FILES = Number(args.files);
const FILE_BYTES = Math.round(Number(args['file-mib']) * MiB);
const REPEAT = Number(args.repeat);
const PART = 64 * MiB;

const PREFIX = `users/${USER_ID}/files/bench`;

const log = (...parts) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...parts);

/** Bundle the engine's bench entry and its download threads from `checkout` into `dir`. */
function bundle(name, checkout) {
  const dir = join(root, 'bench', '.cache', `datapath-${name}`);
  mkdirSync(dir, { recursive: true });
  const script = join(checkout, 'scripts', 'build-service.mjs');
  const entries = [
    ['bench/engine-transfer.ts', 'engine-transfer.cjs'],
    ['src/service/engine/transfer/thread.ts', 'eos-get-worker.cjs']
  ];
  for (const [entry, out] of entries) {
    execFileSync(process.execPath, [script, '--entry', join(checkout, entry), '--outfile', join(dir, out)], {
      cwd: checkout,
      stdio: ['ignore', 'ignore', 'inherit']
    });
  }
  return join(dir, 'engine-transfer.cjs');
}

/** Run a command under /usr/bin/time: CPU user + system seconds, wall seconds, peak RSS. */
function timed(argv, env, tmp) {
  const timeFile = join(tmp, 'time.txt');
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const proc = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, ...argv], { env, stdio: 'pipe' });
    let out = '';
    proc.stdout.on('data', c => (out = (out + c).slice(-4000)));
    proc.stderr.on('data', c => (out = (out + c).slice(-4000)));
    proc.on('error', reject);
    proc.on('exit', code => {
      const seconds = (performance.now() - started) / 1000;
      const [user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      resolveRun({ code, seconds, cpu: user + sys, rss: kb * 1024, out });
    });
  });
}

async function seed(client) {
  const hashes = {};
  const part = Buffer.allocUnsafe(Math.min(PART, BIG_BYTES));
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `${PREFIX}/big.bin` })
  );
  const parts = [];
  const big = createHash('sha256');
  for (let at = 0, n = 1; at < BIG_BYTES; at += PART, n++) {
    const body = part.subarray(0, Math.min(PART, BIG_BYTES - at));
    randomFillSync(body);
    big.update(body);
    const { ETag } = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: `${PREFIX}/big.bin`, UploadId, PartNumber: n, Body: body })
    );
    parts.push({ ETag, PartNumber: n });
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: `${PREFIX}/big.bin`,
      UploadId,
      MultipartUpload: { Parts: parts }
    })
  );
  hashes.big = big.digest('hex');
  let next = 0;
  const small = [];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < FILES) {
        const i = next++;
        const body = randomFillSync(Buffer.allocUnsafe(FILE_BYTES));
        small[i] = createHash('sha256').update(body).digest('hex');
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/many/f-${i}.bin`, Body: body }));
      }
    })
  );
  hashes.small = small;
  return hashes;
}

/** Whether a download arrived byte-exact (the big file whole, every tenth small file). */
function check(kind, dir, hashes) {
  const sha = p => createHash('sha256').update(readFileSync(p)).digest('hex');
  if (kind === 'big') {
    return sha(join(dir, 'big.bin')) === hashes.big;
  }
  const names = readdirSync(join(dir, 'many'));
  if (names.length !== FILES) {
    return false;
  }
  return hashes.small.every((h, i) => i % 10 !== 0 || sha(join(dir, 'many', `f-${i}.bin`)) === h);
}

/** The uploads' sources: the big file and the folder, random bytes, their hashes kept for the check. */
const sourceHashes = {};
function writeSources(dir) {
  mkdirSync(join(dir, 'many'), { recursive: true });
  const chunk = Buffer.allocUnsafe(Math.min(PART, BIG_BYTES));
  const big = createHash('sha256');
  const fd = openSync(join(dir, 'big.bin'), 'w');
  for (let at = 0; at < BIG_BYTES; at += chunk.length) {
    const body = randomFillSync(chunk.subarray(0, Math.min(chunk.length, BIG_BYTES - at)));
    big.update(body);
    writeSync(fd, body);
  }
  closeSync(fd);
  sourceHashes.big = big.digest('hex');
  sourceHashes.small = Array.from({ length: FILES }, (_, i) => {
    const body = randomFillSync(Buffer.allocUnsafe(FILE_BYTES));
    writeFileSync(join(dir, 'many', `f-${i}.bin`), body);
    return createHash('sha256').update(body).digest('hex');
  });
}

/** Whether an upload arrived byte-exact on versitygw's disk (the big file whole, every tenth small file). */
function checkUpload(kind, serverDir) {
  const sha = p => createHash('sha256').update(readFileSync(p)).digest('hex');
  const up = join(serverDir, BUCKET, PREFIX, 'up');
  if (kind === 'big-up') {
    return sha(join(up, 'big.bin')) === sourceHashes.big;
  }
  return sourceHashes.small.every((h, i) => i % 10 !== 0 || sha(join(up, 'many', `f-${i}.bin`)) === h);
}

/** The engine's event-loop delay (its report's `loopDelayMs`), from the end of its output. */
function loopDelay(out) {
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find(l => l.startsWith('{'));
  try {
    return JSON.parse(line).loopDelayMs;
  } catch {
    return undefined;
  }
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const builds = (args.build.length > 0 ? args.build : [`this=${root}`]).map(b => {
    const [named, ...vars] = b.split(',');
    const [name, checkout] = named.split('=');
    log(`bundling ${name} from ${checkout}`);
    const env = Object.fromEntries(vars.map(v => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
    return { name: [name, ...vars].join(', '), env, engine: bundle(name, resolve(checkout)) };
  });
  const tmp = await mkdtemp(join(os.tmpdir(), 'eos-datapath-'));
  // Connections kept open between requests, as S3 keeps them.
  const server = await startVersitygw([BUCKET], { keepAlive: true });
  try {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }
    });
    log(`seeding ${BIG_BYTES / MiB} MiB and ${FILES} × ${FILE_BYTES / MiB} MiB on ${server.endpoint}`);
    const hashes = await seed(client);
    const local = join(tmp, 'root');
    mkdirSync(local);
    const env = engineEnv(server.endpoint, { EOS_ROOT_DIR: local });
    const KINDS = ['big', 'dir', ...(args.uploads ? ['big-up', 'dir-up'] : [])];
    if (args.uploads) {
      log("writing the uploads' sources");
      writeSources(join(local, 'src'));
    }
    const keysFile = kind => {
      const file = join(tmp, `keys-${kind}.txt`);
      const lines =
        kind === 'big'
          ? [`${BIG_BYTES} ${PREFIX}/big.bin`]
          : Array.from({ length: FILES }, (_, i) => `${FILE_BYTES} ${PREFIX}/many/f-${i}.bin`);
      writeFileSync(file, lines.join('\n') + '\n');
      return file;
    };
    const floor = kind => [
      process.execPath,
      join(root, 'bench', 'node-http-floor.mjs'),
      '--endpoint',
      server.endpoint,
      '--bucket',
      BUCKET,
      '--keys-file',
      keysFile(kind),
      '--range-mib',
      '32',
      '--in-flight',
      kind === 'big' ? '8' : '16',
      '--write',
      join(local, 'dl')
    ];
    const engine = (b, kind) =>
      kind.endsWith('-up')
        ? [
            process.execPath,
            b.engine,
            'upload',
            'e://users/me/bench/up/',
            kind === 'big-up' ? 'src/big.bin' : 'src/many'
          ]
        : [process.execPath, b.engine, 'download', 'dl', `e://users/me/bench/${kind === 'big' ? 'big.bin' : 'many/'}`];
    const clients = [{ name: 'node:http floor (positioned writes, one thread)', argv: floor }];
    for (const b of builds) {
      clients.push({ name: `engine ${b.name}`, argv: kind => engine(b, kind), env: b.env });
    }
    const results = new Map(clients.map(c => [c.name, Object.fromEntries(KINDS.map(k => [k, []]))]));
    for (let round = 0; round < REPEAT; round++) {
      for (const kind of KINDS) {
        // A rotated order each round: no client always runs right after the seeding or another.
        const order = clients.map((_, i) => clients[(i + round) % clients.length]);
        for (const c of order) {
          if (kind.endsWith('-up') && c.argv === floor) {
            continue;
          }
          const dl = join(local, 'dl');
          rmSync(dl, { recursive: true, force: true });
          mkdirSync(dl);
          execFileSync('sync');
          const r = await timed(c.argv(kind), { ...env, ...c.env }, tmp);
          const floorRun = c.argv === floor;
          const ok =
            r.code === 0 &&
            (floorRun || (kind.endsWith('-up') ? checkUpload(kind, server.dir) : check(kind, dl, hashes)));
          log(
            `${c.name} ${kind}: ${r.cpu.toFixed(2)} s CPU, ${r.seconds.toFixed(2)} s wall${ok ? '' : ` FAILED ${r.out}`}`
          );
          if (ok) {
            results.get(c.name)[kind].push(r);
          }
        }
      }
    }
    const gib = { big: BIG_BYTES / GiB, dir: (FILES * FILE_BYTES) / GiB };
    gib['big-up'] = gib.big;
    gib['dir-up'] = gib.dir;
    const floorName = clients[0].name;
    const perGiB = (name, kind) => median(results.get(name)[kind].map(r => r.cpu)) / gib[kind];
    const upHeads = args.uploads
      ? ` ${BIG_BYTES / MiB} MiB up: CPU s/GiB | s | main loop p99 ms | ${FILES} × ${FILE_BYTES / MiB} MiB up: CPU s/GiB | s | main loop p99 ms |`
      : '';
    const lines = [
      `| client | ${BIG_BYTES / MiB} MiB: CPU s/GiB | vs floor | ${FILES} × ${FILE_BYTES / MiB} MiB: CPU s/GiB | vs floor |${upHeads} peak RSS (MB) |`,
      `|---|---:|---:|---:|---:|${args.uploads ? '---:|---:|---:|---:|---:|---:|' : ''}---:|`
    ];
    for (const c of clients) {
      const cells = KINDS.flatMap(kind => {
        const runs = results.get(c.name)[kind];
        if (kind.endsWith('-up')) {
          if (runs.length === 0) {
            return ['–', '–', '–'];
          }
          const cpu = `${perGiB(c.name, kind).toFixed(2)} [${runs.map(r => (r.cpu / gib[kind]).toFixed(2)).join(', ')}]`;
          const loops = runs.map(r => loopDelay(r.out)?.p99 ?? '?').join(', ');
          return [cpu, median(runs.map(r => r.seconds)).toFixed(2), loops];
        }
        if (runs.length === 0) {
          return ['failed', '–'];
        }
        const all = runs.map(r => (r.cpu / gib[kind]).toFixed(2)).join(', ');
        return [
          `${perGiB(c.name, kind).toFixed(2)} [${all}]`,
          `${(perGiB(c.name, kind) / perGiB(floorName, kind)).toFixed(2)}×`
        ];
      });
      const rss = Math.max(...KINDS.flatMap(k => results.get(c.name)[k].map(r => r.rss))) / 1e6;
      lines.push(`| ${c.name} | ${cells.join(' | ')} | ${rss.toFixed(0)} |`);
    }
    const table = lines.join('\n');
    console.log(table);
    if (args.out) {
      writeFileSync(args.out, table + '\n');
    }
    client.destroy();
  } finally {
    server.proc.kill('SIGTERM');
    rmSync(server.dir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
