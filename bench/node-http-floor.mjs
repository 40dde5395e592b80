// A reference for the transfers benchmark: what Node's own HTTP client costs
// to read the download rows' bytes, with no SDK in the loop, on one thread:
// every body read and dropped, or (with --out-dir) written to one file per
// object with positioned writes (`fs.write` at the body's offset, ranges of a
// big object into the same file). No Node engine can download for less CPU
// on the same machine unless it spreads the reading over threads.
//
//   node bench/node-http-floor.mjs --endpoint URL --bucket B --keys-file FILE [--range-mib 32] [--in-flight N] [--out-dir DIR]
//   (FILE: one key and its size per line, "size key")
//
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. The URLs are
// presigned (with the SDK's presigner) before the clock starts. Prints one
// JSON line: { seconds, bytes, requests, cpuUser, cpuSystem }.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { close, mkdirSync, open, readFileSync, write } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    bucket: { type: 'string' },
    'keys-file': { type: 'string' },
    'range-mib': { type: 'string', default: '32' },
    'in-flight': { type: 'string', default: '16' },
    'out-dir': { type: 'string' }
  }
});
const RANGE = Number(args['range-mib']) * 1024 * 1024;
const IN_FLIGHT = Number(args['in-flight']);

const objects = readFileSync(args['keys-file'], 'utf8')
  .split('\n')
  .filter(Boolean)
  .map(line => {
    const at = line.indexOf(' ');
    return { size: Number(line.slice(0, at)), key: line.slice(at + 1) };
  });

const client = new S3Client({
  region: process.env.AWS_REGION ?? 'us-east-1',
  endpoint: args.endpoint,
  forcePathStyle: true
});
/** One request per object, or per range of a big one, as the engine asks them. */
const requests = [];
const OUT_DIR = args['out-dir'];
if (OUT_DIR) {
  mkdirSync(OUT_DIR, { recursive: true });
}
for (const [index, { key, size }] of objects.entries()) {
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: args.bucket, Key: key }), { expiresIn: 3600 });
  // The object's file, opened by its first response and closed after its last write.
  const file = OUT_DIR ? { path: join(OUT_DIR, String(index)), fd: null, parts: Math.ceil(size / RANGE) || 1 } : null;
  if (size <= RANGE) {
    requests.push({ url, headers: {}, file, offset: 0 });
    continue;
  }
  for (let start = 0; start < size; start += RANGE) {
    const headers = { Range: `bytes=${start}-${Math.min(size, start + RANGE) - 1}` };
    requests.push({ url, headers, file, offset: start });
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let bytes = 0;
const call = (fn, ...argv) => new Promise((ok, fail) => fn(...argv, (err, value) => (err ? fail(err) : ok(value))));

/** The object's file descriptor, opened once for all its ranges. */
function fdOf(file) {
  file.fd ??= call(open, file.path, 'w');
  return file.fd;
}

/** Write a body at its offset in the object's file; close the file after its last part. */
async function writeBody(res, file, offset) {
  const fd = await fdOf(file);
  const writes = [];
  let position = offset;
  res.on('data', chunk => {
    bytes += chunk.length;
    writes.push(call(write, fd, chunk, 0, chunk.length, position));
    position += chunk.length;
  });
  await new Promise((ok, fail) => res.on('end', ok).on('error', fail));
  await Promise.all(writes);
  if (--file.parts === 0) {
    await call(close, fd);
  }
}

function get({ url, headers, file, offset }) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, res => {
        if (res.statusCode >= 300) {
          reject(new Error(`${url.split('?')[0]}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        if (file) {
          writeBody(res, file, offset).then(resolve, reject);
          return;
        }
        res.on('data', chunk => (bytes += chunk.length));
        res.on('end', resolve);
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const cpu = process.cpuUsage();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    while (next < requests.length) {
      await get(requests[next++]);
    }
  })
);
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const expected = objects.reduce((n, o) => n + o.size, 0);
if (bytes !== expected) {
  console.error(`read ${bytes} bytes, expected ${expected}`);
  process.exit(1);
}
console.log(
  JSON.stringify({ seconds, bytes, requests: requests.length, cpuUser: used.user / 1e6, cpuSystem: used.system / 1e6 })
);
agent.destroy();
