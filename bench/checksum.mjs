// What end-to-end checksums cost (issue 16, "Integrity"), in CPU seconds per GiB:
//
//   node bench/checksum.mjs [--extra <node_modules dir>] [--mib 256] [--no-engine]
//
// 1. Each CRC implementation alone, over 256 MiB in 64 KiB chunks (what a
//    download's body arrives in) and in 8 MiB parts (what an upload reads):
//    the SDK's JavaScript CRC64NVME, hash-wasm's CRC64NVME and CRC32C (what
//    the engine uses), Node's zlib.crc32. `--extra DIR` also measures packages
//    installed there and not shipped (native: @aws-sdk/crc64-nvme-crt,
//    @node-rs/crc32, @chainsafe/fast-crc32c), so the choice can be revisited.
// 2. The engine (bench/engine-transfer.ts, bundled as bench/transfers.mjs
//    bundles it, with its download threads) uploading and downloading one
//    file of `--mib` MiB and a folder of 300 files of 100 KiB (where per-file
//    costs show; a download in one GET asks that GET for the stored
//    checksum) to versitygw (test/versitygw.js builds it), with
//    EOS_VERIFY_CHECKSUMS true and false, alternated, three runs each: the
//    process's CPU seconds (threads included) and wall seconds, medians.
//
// Writes bench/results/checksum-<date>.md. CPU per byte is the figure that
// decides on this 2-core machine (client, server and checksums share it);
// wall seconds move with the machine's load.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const args = process.argv.slice(2);
const option = name => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const extra = option('--extra');
const fileMiB = Number(option('--mib') ?? 256);
const log = (...m) => console.error('[checksum]', ...m);
/** The folder of small files: per-file costs show there. */
const SMALL_FILES = 300;
const SMALL_BYTES = 100 * 1024;

/** CPU seconds per GiB of `make()` hashers fed `chunks`, scaled from `total` bytes. */
function cpuPerGiB(make, chunks, total) {
  const once = () => {
    const h = make();
    for (const c of chunks) {
      h.update(c);
    }
    h.end?.();
  };
  once(); // warm (JIT, WebAssembly compile)
  const block = chunks.reduce((n, c) => n + c.length, 0);
  const start = process.cpuUsage();
  for (let done = 0; done < total; done += block) {
    once();
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) / 1e6) * (GiB / total);
}

async function candidates() {
  const list = [];
  const { Crc64NvmeJs } = require('@aws-sdk/checksums/crc');
  list.push(['@aws-sdk/checksums Crc64NvmeJs (the SDK’s JavaScript)', 'CRC64NVME', () => new Crc64NvmeJs()]);
  const { createCRC64, createCRC32 } = require('hash-wasm');
  const h64 = await createCRC64('9a6c9329ac4bc9b5');
  list.push([
    'hash-wasm CRC64NVME (the engine’s)',
    'CRC64NVME',
    () => (h64.init(), { update: c => h64.update(c), end: () => h64.digest() })
  ]);
  const h32c = await createCRC32(0x82f63b78);
  list.push([
    'hash-wasm CRC32C (the engine’s)',
    'CRC32C',
    () => (h32c.init(), { update: c => h32c.update(c), end: () => h32c.digest() })
  ]);
  list.push([
    'node:zlib crc32 (native, the engine’s CRC32)',
    'CRC32',
    () => {
      let v = 0;
      return { update: c => void (v = zlib.crc32(c, v)) };
    }
  ]);
  if (extra) {
    const from = createRequire(join(extra, 'x.js'));
    const tryAdd = (label, algorithm, load) => {
      try {
        list.push([label, algorithm, load()]);
      } catch (err) {
        log(`${label}: not measured (${err.message.split('\n')[0]})`);
      }
    };
    tryAdd('@aws-sdk/crc64-nvme-crt (aws-crt, native; not on worker threads)', 'CRC64NVME', () => {
      const { CrtCrc64Nvme } = from('@aws-sdk/crc64-nvme-crt');
      return () => new CrtCrc64Nvme();
    });
    tryAdd('@node-rs/crc32 crc32c (napi-rs, native)', 'CRC32C', () => {
      const { crc32c } = from('@node-rs/crc32');
      return () => {
        let v = 0;
        return { update: c => void (v = crc32c(c, v)) };
      };
    });
    tryAdd('@chainsafe/fast-crc32c (native)', 'CRC32C', () => {
      const f = from('@chainsafe/fast-crc32c');
      return () => {
        let v = 0;
        return { update: c => void (v = f.calculate(c, v)) };
      };
    });
  }
  return list;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The engine's upload and download of one file, with and without checksums. */
async function engineRows() {
  const { ensureVersitygw, startVersitygw } = require('../test/versitygw.js');
  ensureVersitygw();
  const cache = join(root, 'bench', '.cache');
  const outfile = join(cache, 'engine-transfer.cjs');
  const build = join(root, 'scripts', 'build-service.mjs');
  const bundle = (entry, out) =>
    execFileSync(process.execPath, [build, '--entry', entry, '--outfile', out], {
      stdio: ['ignore', 'ignore', 'inherit']
    });
  bundle(join(root, 'bench', 'engine-transfer.ts'), outfile);
  bundle(join(root, 'src', 'service', 'engine', 'transfer', 'thread.ts'), join(cache, 'eos-get-worker.cjs'));
  const USER_ID = '0b5e7a2c-1111-4d6e-9f00-bbbbbbbbbbbb';
  const ORG_ID = '3c0ffee0-2222-4a1b-8c3d-aaaaaaaaaaaa';
  const bucket = `gencove-explorer-${ORG_ID.replace(/-/g, '').slice(0, 12)}`;
  const server = await startVersitygw([bucket]);
  const local = mkdtempSync(join(os.tmpdir(), 'eos-bench-crc-'));
  try {
    const fd = openSync(join(local, 'big.bin'), 'w');
    for (let i = 0; i < fileMiB; i++) {
      writeSync(fd, randomBytes(MiB));
    }
    closeSync(fd);
    mkdirSync(join(local, 'many'));
    for (let i = 0; i < SMALL_FILES; i++) {
      writeFileSync(join(local, 'many', `f${String(i).padStart(4, '0')}.bin`), randomBytes(SMALL_BYTES));
    }
    mkdirSync(join(local, 'down'));
    const env = verify => ({
      ...process.env,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      GENCOVE_USER_ID: USER_ID,
      GENCOVE_ORGANIZATION_ID: ORG_ID,
      EOS_ENDPOINT_URL: server.endpoint,
      EOS_ROOT_DIR: local,
      EOS_VERIFY_CHECKSUMS: String(verify)
    });
    const runs = {};
    const ARGS = {
      upload: ['upload', 'e://users/me/bench/', 'big.bin'],
      download: ['download', 'down', 'e://users/me/bench/big.bin'],
      'upload, files': ['upload', 'e://users/me/bench/', 'many'],
      'download, files': ['download', 'down', 'e://users/me/bench/many/']
    };
    for (const direction of Object.keys(ARGS)) {
      runs[direction] = { true: [], false: [] };
    }
    for (let rep = 0; rep < 3; rep++) {
      for (const verify of [true, false]) {
        for (const direction of Object.keys(ARGS)) {
          const argv = [outfile, ...ARGS[direction]];
          const r = spawnSync(process.execPath, argv, { env: env(verify), encoding: 'utf8' });
          const line = JSON.parse(r.stdout.trim().split('\n').pop());
          if (line.state !== 'done') {
            throw new Error(`${direction} failed: ${r.stdout}${r.stderr}`);
          }
          log(
            direction,
            `verify=${verify}`,
            line.cpu.toFixed(2),
            's CPU',
            line.seconds.toFixed(2),
            's',
            JSON.stringify(line.integrity)
          );
          runs[direction][verify].push(line);
        }
      }
    }
    return runs;
  } finally {
    server.proc.kill();
    rmSync(local, { recursive: true, force: true });
    rmSync(server.dir, { recursive: true, force: true });
  }
}

async function main() {
  const total = 256 * MiB;
  const data = randomBytes(8 * MiB);
  const sizes = [
    ['64 KiB chunks', 64 * 1024],
    ['8 MiB parts', 8 * MiB]
  ];
  const rows = [];
  for (const [label, algorithm, make] of await candidates()) {
    const cells = sizes.map(([, size]) => {
      const chunks = [];
      for (let o = 0; o < data.length; o += size) {
        chunks.push(data.subarray(o, o + size));
      }
      return cpuPerGiB(make, chunks, total);
    });
    log(label, cells.map(c => c.toFixed(3)).join(' / '));
    rows.push(`| ${label} | ${algorithm} | ${cells.map(c => c.toFixed(2)).join(' | ')} |`);
  }
  const lines = [
    `# Checksum cost, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)} at the start.`,
    '`node bench/checksum.mjs` (bench/README.md). CPU seconds (user + system) per GiB hashed.',
    '',
    `| implementation | algorithm | ${sizes.map(([l]) => l).join(' | ')} |`,
    `|---|---|${sizes.map(() => '---:').join('|')}|`,
    ...rows
  ];
  if (!args.includes('--no-engine')) {
    const runs = await engineRows();
    const gibOf = direction => (direction.endsWith('files') ? (SMALL_FILES * SMALL_BYTES) / GiB : fileMiB / 1024);
    lines.push(
      '',
      `## The engine, one ${fileMiB} MiB file and ${SMALL_FILES} files of ${SMALL_BYTES / 1024} KiB to and from versitygw (medians of 3)`,
      '',
      'CPU of the whole process per GiB moved (its start, about 0.35 s, included); wall seconds of the file.',
      '',
      '| direction | CPU s/GiB checked | CPU s/GiB not checked | CPU added | wall s checked | wall s not checked |',
      '|---|---:|---:|---:|---:|---:|'
    );
    for (const direction of Object.keys(runs)) {
      const gib = gibOf(direction);
      const on = runs[direction].true;
      const off = runs[direction].false;
      const cpuOn = median(on.map(r => r.cpu)) / gib;
      const cpuOff = median(off.map(r => r.cpu)) / gib;
      const added = ((cpuOn - cpuOff) / cpuOff) * 100;
      lines.push(
        `| ${direction} | ${cpuOn.toFixed(2)} | ${cpuOff.toFixed(2)} | ${added >= 0 ? '+' : ''}${added.toFixed(0)} % | ${median(on.map(r => r.seconds)).toFixed(2)} | ${median(off.map(r => r.seconds)).toFixed(2)} |`
      );
    }
  }
  const out = join(root, 'bench', 'results', `checksum-${new Date().toISOString().slice(0, 10)}.md`);
  writeFileSync(out, `${lines.join('\n')}\n`);
  log(`wrote ${out}`);
  console.log(lines.join('\n'));
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
