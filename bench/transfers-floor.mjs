// The transfers benchmark's reference runs of Node's own HTTP client alone
// (bench/node-http-floor.mjs): the floor row of each download (bodies written
// to disk with positioned writes, one thread), and the probe of one
// connection through the realistic regime's proxy.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'node-http-floor.mjs');

/** One run of node-http-floor.mjs on `objects` (`{ size, key }`): its JSON report and RSS, or null. */
async function runFloor(ctx, name, objects, options) {
  const keysFile = join(ctx.tmp, `floor-${name}.txt`);
  writeFileSync(keysFile, objects.map(o => `${o.size} ${o.key}`).join('\n') + '\n');
  const argv = [SCRIPT, '--endpoint', ctx.endpoint, '--bucket', ctx.bucket, '--keys-file', keysFile, ...options];
  const result = await ctx.timed(process.execPath, argv, ctx.env, ctx.tmp);
  if (result.code !== 0) {
    ctx.log(`  failed: ${result.stderr.trim().split('\n').slice(-2).join(' / ')}`);
    return null;
  }
  return { ...JSON.parse(result.stdout.trim().split('\n').pop()), rss: result.rss };
}

/**
 * The floor of each download kind, the best of `repeat` runs, as report rows
 * (`tool: 'floor'`): every body written to a file of its own at its offset,
 * with the engine's default ranges on 2 threads (8 × 32 MiB) and files (16) in flight.
 *
 * @param ctx.keys `{ kind: [{ size, key }] }` for each download kind
 * @param ctx.timed the benchmark's timed run (wall seconds, RSS, output)
 */
export async function runFloors(ctx, regime) {
  const rows = [];
  for (const [rowKind, objects] of Object.entries(ctx.keys)) {
    const outDir = join(ctx.tmp, 'floor-out');
    const inFlight = objects.length === 1 ? '8' : '16';
    const row = { regime, rowKind, direction: 'download', tool: 'floor', bytes: 0, runs: [], problem: null };
    for (let round = 0; round < ctx.repeat; round++) {
      ctx.log(`${regime}: node:http floor, download ${rowKind}`);
      const report = await runFloor(ctx, rowKind, objects, [
        '--range-mib',
        '32',
        '--in-flight',
        inFlight,
        '--write',
        outDir
      ]);
      rmSync(outDir, { recursive: true, force: true });
      if (report !== null) {
        ctx.log(`  ${report.seconds.toFixed(2)} s`);
        row.bytes = report.bytes;
        // CPU inside its clock only: presigning the URLs and Node's start-up are left out.
        row.runs.push({ seconds: report.seconds, rss: report.rss, cpu: report.cpuUser + report.cpuSystem });
      }
    }
    if (row.runs.length === 0) {
      row.problem = 'failed';
      row.runs.push({ seconds: null });
    }
    rows.push(row);
  }
  return rows;
}

/**
 * What one connection through the proxy gives: a round trip (the median-free
 * mean of `small.length` sequential GETs of small objects on one keep-alive
 * connection, bodies dropped) and the throughput of one connection reading
 * `bigBytes` of the big object in two ranges.
 */
export async function probeConnection(ctx, small, big, bigBytes) {
  const one = ['--in-flight', '1'];
  const rtt = await runFloor(ctx, 'probe-rtt', small, one);
  const half = Math.floor(bigBytes / 2 / (1024 * 1024));
  // No big object when its rows were left out (`--rows`): no stream probe.
  const stream =
    big !== null &&
    (await runFloor(
      ctx,
      'probe-stream',
      [{ size: half * 2 * 1024 * 1024, key: big.key }],
      [...one, '--range-mib', String(half)]
    ));
  return {
    roundTripMs: rtt ? (rtt.seconds / rtt.requests) * 1000 : null,
    requests: rtt?.requests ?? 0,
    streamMBps: stream ? stream.bytes / 1e6 / stream.seconds : null,
    streamBytes: stream?.bytes ?? 0
  };
}
