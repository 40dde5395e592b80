// Benchmark: an interrupted upload resumes. Uploads a big file through the
// transfer engine (bench/engine-transfer.ts, bundled as the service is, with a
// resume ledger) to versitygw on loopback, SIGKILLs the process at ~70 % of
// the bytes, runs the same upload again with the same ledger, and reports the
// bytes the second process sent against the file's size; the object is
// checked byte-exact in the server's folder, and no multipart upload may stay.
//
//   node bench/resume.mjs [--gib 1] [--kill-at 0.7] [--out DIR]
//
// versitygw comes from the tests' cache (test/versitygw.js builds it once).
// Writes bench/results/resume-<date>.md.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { ensureVersitygw, serveVersitygw, VERSION } = require('../test/versitygw.js');
const { S3Client, CreateBucketCommand, ListMultipartUploadsCommand, ListPartsCommand } = require('@aws-sdk/client-s3');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    gib: { type: 'string', default: '1' },
    'kill-at': { type: 'string', default: '0.7' },
    out: { type: 'string', default: join(root, 'bench', 'results') }
  }
});
const MiB = 1024 * 1024;
const BYTES = Math.round(Number(args.gib) * 1024 * MiB);
const KILL_AT = Number(args['kill-at']);
const USER_ID = '0b5e7a2c-1111-4d6e-9f00-bbbbbbbbbbbb';
const ORG_ID = '3c0ffee0-2222-4a1b-8c3d-aaaaaaaaaaaa';
const BUCKET = `gencove-explorer-${ORG_ID.replace(/-/g, '').slice(0, 12)}`;
const KEY = `users/${USER_ID}/files/resume/big.bin`;
const KEYS = { accessKey: 'benchaccess', secretKey: 'benchsecret-0123456789' };

const log = (...parts) => console.error(`[resume ${new Date().toISOString().slice(11, 19)}]`, ...parts);

/** The engine's bench entry, bundled as the service is. */
function bundleEngine() {
  const outfile = join(root, 'bench', '.cache', 'engine-transfer.cjs');
  const script = join(root, 'scripts', 'build-service.mjs');
  execFileSync(process.execPath, [script, '--entry', join(root, 'bench', 'engine-transfer.ts'), '--outfile', outfile], {
    stdio: ['ignore', 'ignore', 'inherit']
  });
  return outfile;
}

/** `bytes` of random data at `path`; answers its sha256. */
function writeRandom(path, bytes) {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(16 * MiB);
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
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * MiB })
      .on('data', c => hash.update(c))
      .on('end', () => done(hash.digest('hex')))
      .on('error', fail);
  });
}

/**
 * Run the engine's upload; with `killAt`, SIGKILL it once its job reports that
 * many bytes done. Answers its JSON line (null when killed), its wall seconds
 * and the bytes done it last reported.
 */
function upload(bundle, env, killAt) {
  const started = performance.now();
  const child = spawn(process.execPath, [bundle, 'upload', 'e://users/me/resume/', 'big.bin'], {
    env: { ...env, EOS_BENCH_PROGRESS: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  let err = '';
  let done = 0;
  child.stdout.on('data', c => (out += c));
  child.stderr.on('data', c => {
    err += c;
    for (const m of String(c).matchAll(/^progress (\d+)$/gm)) {
      done = Number(m[1]);
      if (killAt !== undefined && done >= killAt && child.exitCode === null) {
        child.kill('SIGKILL');
      }
    }
  });
  return new Promise(resolveRun => {
    child.on('exit', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const line = out.trim().split('\n').pop();
      if (signal === null && !line) {
        log(`engine exited ${code}: ${err.slice(-2000)}`);
      }
      resolveRun({ result: signal === null && line ? JSON.parse(line) : null, signal, seconds, done });
    });
  });
}

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}`;
}

async function main() {
  const loads = [os.loadavg()[0]];
  const bin = ensureVersitygw();
  const bundle = bundleEngine();
  const tmp = await mkdtemp(join(os.tmpdir(), 'eos-resume-'));
  const serverDir = join(tmp, 's3');
  const localRoot = join(tmp, 'root');
  mkdirSync(serverDir);
  mkdirSync(localRoot);
  let server = null;
  try {
    log(`writing ${BYTES / MiB} MiB into ${localRoot}`);
    const hash = writeRandom(join(localRoot, 'big.bin'), BYTES);
    server = await serveVersitygw(bin, serverDir, KEYS);
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: KEYS.accessKey, secretAccessKey: KEYS.secretKey }
    });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: KEYS.accessKey,
      AWS_SECRET_ACCESS_KEY: KEYS.secretKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      GENCOVE_USER_ID: USER_ID,
      GENCOVE_ORGANIZATION_ID: ORG_ID,
      EOS_ENDPOINT_URL: server.endpoint,
      EOS_ROOT_DIR: localRoot,
      EOS_BENCH_LEDGER: join(tmp, 'state', 'resume.json'),
      // The PUTs on this thread, where engine-transfer counts the bytes they send.
      EOS_TRANSFER_THREADS: '0'
    };

    log(`upload, killed at ${Math.round(KILL_AT * 100)} %`);
    const killed = await upload(bundle, env, Math.round(BYTES * KILL_AT));
    if (killed.signal !== 'SIGKILL') {
      throw new Error(`the first upload was not killed (it ended: ${JSON.stringify(killed.result)})`);
    }
    const open = (await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? [];
    let held = 0;
    let heldParts = 0;
    for (const u of open) {
      let marker;
      do {
        const page = await client.send(
          new ListPartsCommand({ Bucket: BUCKET, Key: u.Key, UploadId: u.UploadId, PartNumberMarker: marker })
        );
        for (const p of page.Parts ?? []) {
          held += p.Size;
          heldParts++;
        }
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker !== undefined);
    }
    log(`killed after ${killed.seconds.toFixed(1)} s; S3 holds ${heldParts} parts, ${held} bytes`);

    log('upload again (resume)');
    const resumed = await upload(bundle, env);
    if (resumed.result?.state !== 'done') {
      throw new Error(`the resumed upload did not complete: ${JSON.stringify(resumed.result)}`);
    }
    const stored = await sha256(join(serverDir, BUCKET, KEY));
    const left = (await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? [];
    log('a full upload, for comparison');
    rmSync(env.EOS_BENCH_LEDGER, { force: true });
    const full = await upload(bundle, { ...env, EOS_BENCH_LEDGER: '' });
    loads.push(os.loadavg()[0]);
    client.destroy();

    const pct = n => `${((100 * n) / BYTES).toFixed(1)} %`;
    const sent = resumed.result.sentBytes;
    const lines = [
      '# Resume: a 1 GiB upload killed at ~70 % and run again',
      '',
      `- Command: \`node bench/resume.mjs --gib ${args.gib} --kill-at ${KILL_AT}\``,
      `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
      `- Machine: ${machine()}`,
      `- Load average (1 min) at the start and the end: ${loads.map(l => l.toFixed(1)).join(' and ')} (the machine is shared)`,
      `- Server: versitygw ${VERSION} (posix backend on a temp folder, 127.0.0.1)`,
      '- Engine: `Engine.transfer` bundled from `bench/engine-transfer.ts`, one process per run, resume ledger in a',
      '  file (`EOS_BENCH_LEDGER`); part size 8 MiB, 4 parts in flight (the defaults), no transfer threads',
      '  (`EOS_TRANSFER_THREADS=0`). Bytes sent = the `content-length` of every PUT the process sent',
      '  (`http.client.request.start` on its diagnostics channel).',
      '',
      '| run | seconds | bytes sent | of the file | notes |',
      '| --- | ---: | ---: | ---: | --- |',
      `| first upload, SIGKILLed at ${pct(killed.done)} reported done | ${killed.seconds.toFixed(1)} | – | – | S3 held ${heldParts} parts, ${held.toLocaleString('en-US')} bytes (${pct(held)}) after the kill |`,
      `| the same upload run again (resume) | ${resumed.seconds.toFixed(1)} | ${sent.toLocaleString('en-US')} | ${pct(sent)} | object sha256 ${stored === hash ? 'matches' : '**differs**'}; multipart uploads left: ${left.length} |`,
      `| a full upload, no ledger (for comparison) | ${full.seconds.toFixed(1)} | ${(full.result?.sentBytes ?? 0).toLocaleString('en-US')} | ${pct(full.result?.sentBytes ?? 0)} | ${full.result?.state} |`,
      ''
    ];
    const report = lines.join('\n');
    mkdirSync(args.out, { recursive: true });
    const file = join(args.out, `resume-${new Date().toISOString().slice(0, 10)}.md`);
    writeFileSync(file, report);
    console.log(report);
    log(`wrote ${file}`);
    if (stored !== hash || left.length > 0) {
      process.exitCode = 1;
    }
  } finally {
    server?.proc.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
