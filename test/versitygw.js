// versitygw, the second S3 server the store-level service tests run against
// (moto is the first): a real S3 implementation in Go, posix backend on a
// temporary folder, on a free loopback port.
//
//   node test/versitygw.js    builds it into the cache if absent, prints its path
//
// The binary lives outside the repository, in $EOS_TEST_BIN (default
// ${XDG_CACHE_HOME:-~/.cache}/jupyterlab-eos/bin), built once with `go install`.
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { CreateBucketCommand, S3Client } = require('@aws-sdk/client-s3');

const VERSION = 'v1.8.0';
// The same static keys as the tests give moto: the harness's clients use them for both.
const ACCESS_KEY = 'testing';
const SECRET_KEY = 'testing';

// The SDK's warning about Node 20 is noise here (the harness silences it in the tests too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function binDir() {
  if (process.env.EOS_TEST_BIN) {
    return process.env.EOS_TEST_BIN;
  }
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'jupyterlab-eos', 'bin');
}

/** The versitygw binary, built with `go install` the first time (about two minutes). */
function ensureVersitygw() {
  const dir = binDir();
  const bin = path.join(dir, 'versitygw');
  if (!fs.existsSync(bin)) {
    console.error(`Building versitygw ${VERSION} into ${dir} (once, about two minutes; needs Go)`);
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('go', ['install', `github.com/versity/versitygw/cmd/versitygw@${VERSION}`], {
      env: { ...process.env, GOBIN: dir },
      stdio: ['ignore', 'inherit', 'inherit']
    });
  }
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something answers HTTP at `endpoint`. */
async function answers(endpoint) {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Serve `dir` with versitygw `bin` on a free loopback port, with these root
 * keys; answer { proc, endpoint } once it answers HTTP (bench/transfers.mjs too).
 * `keepAlive`: keep connections open between requests, as S3 does
 * (versitygw's `--keep-alive`; without it every answer says `Connection: close`).
 */
async function serveVersitygw(
  bin,
  dir,
  keys = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
  { keepAlive = false } = {}
) {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ['--port', `127.0.0.1:${port}`, ...(keepAlive ? ['--keep-alive'] : []), 'posix', dir], {
    env: { ...process.env, ROOT_ACCESS_KEY: keys.accessKey, ROOT_SECRET_KEY: keys.secretKey },
    stdio: ['ignore', 'ignore', 'pipe']
  });
  let stderr = '';
  proc.stderr.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const until = Date.now() + 30000;
  while (!(await answers(endpoint))) {
    if (proc.exitCode !== null || Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`versitygw did not start on ${endpoint} (exit ${proc.exitCode}):\n${stderr}`);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return { proc, endpoint };
}

/**
 * Start versitygw (built if absent) with its data in a new temporary folder,
 * and create each of `buckets`; answer { proc, endpoint, dir }. `options`
 * as `serveVersitygw`'s.
 */
async function startVersitygw(buckets, options = {}) {
  const bin = ensureVersitygw();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-versitygw-'));
  let server;
  try {
    server = await serveVersitygw(bin, dir, undefined, options);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }
  });
  try {
    for (const Bucket of buckets) {
      await client.send(new CreateBucketCommand({ Bucket }));
    }
  } finally {
    client.destroy();
  }
  return { ...server, dir };
}

module.exports = { ensureVersitygw, freePort, serveVersitygw, startVersitygw, VERSION };

if (require.main === module) {
  console.log(ensureVersitygw());
}
