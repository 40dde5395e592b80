// The transfers benchmark's realistic regime: toxiproxy in front of the S3
// server, giving every connection S3-like latency and bandwidth.
//
// toxiproxy v2.5.0 is built once with `go install` into the bench cache
// (bench/transfers-setup.mjs; its binary is called `server`). A proxy listens
// on a free loopback port with two toxics per direction: `latency` (half the round trip each way) and
// `bandwidth` (bytes per second per connection; toxiproxy's rate is in
// 1,000-byte KB/s). Every connection gets its own copy of the toxics.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const { freePort } = createRequire(import.meta.url)('../test/versitygw.js');

export const TOXIPROXY_VERSION = 'v2.5.0';
/** Built with `go install` into the bench cache; its binary is called `server`. */
export const TOXIPROXY_MODULE = `github.com/Shopify/toxiproxy/v2/cmd/server@${TOXIPROXY_VERSION}`;

async function api(base, path, body) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
  if (!res.ok) {
    throw new Error(`toxiproxy ${path}: HTTP ${res.status} ${await res.text()}`);
  }
}

/**
 * Start toxiproxy and a proxy to `upstream` (host:port) with the toxics.
 * Answers `{ endpoint, pid, stop() }`; `stop` ends the process (its proxies go with it).
 *
 * @param shape.roundTripMs added to every request/response round trip (half each way)
 * @param shape.bytesPerSecond the most one connection carries each way
 */
export async function startToxiproxy(server, upstream, shape) {
  const apiPort = await freePort();
  const listenPort = await freePort();
  const proc = spawn(server, ['-host', '127.0.0.1', '-port', String(apiPort)], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${apiPort}`;
  const stop = () => proc.exitCode === null && proc.kill('SIGTERM');
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${base}/version`).then(
        r => r.ok,
        () => false
      );
      if (up) {
        break;
      }
      if (i > 100 || proc.exitCode !== null) {
        throw new Error('toxiproxy did not start');
      }
      await new Promise(ok => setTimeout(ok, 100));
    }
    await api(base, '/proxies', { name: 's3', listen: `127.0.0.1:${listenPort}`, upstream, enabled: true });
    // A zero in the shape leaves its toxic out (to measure each alone).
    const toxics = [
      shape.roundTripMs > 0 && { type: 'latency', attributes: { latency: shape.roundTripMs / 2, jitter: 0 } },
      shape.bytesPerSecond > 0 && { type: 'bandwidth', attributes: { rate: Math.round(shape.bytesPerSecond / 1000) } }
    ].filter(Boolean);
    for (const stream of ['upstream', 'downstream']) {
      for (const toxic of toxics) {
        await api(base, '/proxies/s3/toxics', { name: `${toxic.type}-${stream}`, stream, ...toxic });
      }
    }
  } catch (err) {
    stop();
    throw err;
  }
  return { endpoint: `http://127.0.0.1:${listenPort}`, pid: proc.pid, stop };
}
