// A reference for the transfers benchmark: what Node's own HTTP client costs
// to read the download rows' bytes, with no SDK in the loop and nothing
// written (every body is read and dropped), on one thread. No Node engine can
// download faster than this on the same machine unless it spreads the reading
// over threads.
//
//   node bench/node-http-floor.mjs --endpoint URL --bucket B --keys k1,k2... [--range-mib 32] [--in-flight N]
//   node bench/node-http-floor.mjs ... --keys-file FILE   (one key and its size per line: "size key")
//
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. The URLs are
// presigned (with the SDK's presigner) before the clock starts. Prints one
// JSON line: { seconds, bytes, requests, cpuUser, cpuSystem }.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    bucket: { type: 'string' },
    'keys-file': { type: 'string' },
    'range-mib': { type: 'string', default: '32' },
    'in-flight': { type: 'string', default: '16' }
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
for (const { key, size } of objects) {
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: args.bucket, Key: key }), { expiresIn: 3600 });
  if (size <= RANGE) {
    requests.push({ url, headers: {} });
    continue;
  }
  for (let start = 0; start < size; start += RANGE) {
    requests.push({ url, headers: { Range: `bytes=${start}-${Math.min(size, start + RANGE) - 1}` } });
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let bytes = 0;
function get({ url, headers }) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, res => {
        if (res.statusCode >= 300) {
          reject(new Error(`${url.split('?')[0]}: HTTP ${res.statusCode}`));
          res.resume();
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
