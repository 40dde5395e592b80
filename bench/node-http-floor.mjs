// A reference for the transfers benchmark: what Node's own HTTP client costs
// to read the download rows' bytes, with no SDK in the loop and nothing
// written (every body is read and dropped), on one thread. No Node engine can
// download faster than this on the same machine unless it spreads the reading
// over threads.
//
//   node bench/node-http-floor.mjs --endpoint URL --bucket B --keys k1,k2... [--range-mib 32] [--in-flight N]
//   node bench/node-http-floor.mjs ... --keys-file FILE   (one key and its size per line: "size key")
//   node bench/node-http-floor.mjs ... --write DIR   (each body written to a file of DIR with positioned
//                                                     writes, as the engine writes, instead of dropped)
//
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. The URLs are
// presigned (with the SDK's presigner) before the clock starts. Prints one
// JSON line: { seconds, bytes, requests, cpuUser, cpuSystem }.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    bucket: { type: 'string' },
    'keys-file': { type: 'string' },
    'range-mib': { type: 'string', default: '32' },
    'in-flight': { type: 'string', default: '16' },
    write: { type: 'string' }
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
if (args.write) {
  mkdirSync(args.write, { recursive: true });
}
/* With --write: each object's file, opened at its first GET and closed after its last. */
for (const [i, { key, size }] of objects.entries()) {
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: args.bucket, Key: key }), { expiresIn: 3600 });
  const file = args.write ? { path: `${args.write}/${i}`, fd: null, left: Math.max(1, Math.ceil(size / RANGE)) } : null;
  if (size <= RANGE) {
    requests.push({ url, headers: {}, file, at: 0 });
    continue;
  }
  for (let start = 0; start < size; start += RANGE) {
    requests.push({ url, headers: { Range: `bytes=${start}-${Math.min(size, start + RANGE) - 1}` }, file, at: start });
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let bytes = 0;
function get({ url, headers, file, at }) {
  if (file && file.fd === null) {
    file.fd = openSync(file.path, 'w');
  }
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, res => {
        if (res.statusCode >= 300) {
          reject(new Error(`${url.split('?')[0]}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on('data', chunk => {
          if (file) {
            writeSync(file.fd, chunk, 0, chunk.length, at);
            at += chunk.length;
          }
          bytes += chunk.length;
        });
        res.on('end', () => {
          if (file && --file.left === 0) {
            closeSync(file.fd);
          }
          resolve();
        });
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
