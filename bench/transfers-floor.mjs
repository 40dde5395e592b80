// The transfers benchmark's reference rows: Node's own HTTP client alone
// (bench/node-http-floor.mjs) reading the download rows' objects, the least
// a download on one Node thread costs on the machine.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'node-http-floor.mjs');

/**
 * Run the floor on each download row's objects, the best of `repeat` runs.
 *
 * @param ctx.keys `{ big, dir }`: each a list of `{ size, key }`
 * @param ctx.timed the benchmark's timed run (wall seconds, RSS, output)
 * @param ctx.s5cmd the s5cmd row of a download kind, for the ratio
 */
export async function runFloors({ env, tmp, endpoint, bucket, keys, repeat, timed, log, s5cmd }) {
  const out = [];
  for (const rowKind of ['big', 'dir']) {
    const keysFile = join(tmp, `floor-${rowKind}.txt`);
    writeFileSync(keysFile, keys[rowKind].map(o => `${o.size} ${o.key}`).join('\n') + '\n');
    // The engine's defaults: 4 ranges of a big file, 16 files in flight.
    const inFlight = rowKind === 'big' ? '4' : '16';
    const argv = [SCRIPT, '--endpoint', endpoint, '--bucket', bucket, '--keys-file', keysFile];
    let best = null;
    for (let round = 0; round < repeat; round++) {
      log(`node:http alone, download ${rowKind}`);
      const result = await timed(process.execPath, [...argv, '--range-mib', '32', '--in-flight', inFlight], env, tmp);
      if (result.code !== 0) {
        log(`  failed: ${result.stderr.trim().split('\n').slice(-2).join(' / ')}`);
        continue;
      }
      const report = JSON.parse(result.stdout.trim().split('\n').pop());
      log(`  ${report.seconds.toFixed(2)} s`);
      if (best === null || report.seconds < best.seconds) {
        best = report;
      }
    }
    if (best !== null) {
      const s5 = s5cmd(rowKind);
      out.push({ rowKind, ...best, s5cmdSeconds: s5?.problem === null ? s5.seconds : null });
    }
  }
  return out;
}

/** The report's lines for the floor rows (none without them). */
export function floorTable(floors, rowLabel, fmt, mb) {
  if (floors.length === 0) {
    return [];
  }
  const lines = [
    '',
    "Reference, not a client: Node's own HTTP client alone (`bench/node-http-floor.mjs`: `node:http` with a keep-alive",
    'agent, URLs presigned before the clock starts, no SDK, every body read and dropped, nothing written, one',
    "thread; the engine's ranges and files in flight). What any download on one Node thread costs at least:",
    '',
    '| download | seconds | MB/s | vs s5cmd | CPU user + system (s) |',
    '| --- | ---: | ---: | ---: | ---: |'
  ];
  for (const f of floors) {
    const ratio = f.s5cmdSeconds ? `${fmt(f.s5cmdSeconds / f.seconds, 2)}×` : '–';
    lines.push(
      `| ${rowLabel[`${f.rowKind} download`]} | ${fmt(f.seconds, 2)} | ${fmt(mb(f.bytes, f.seconds))} | ${ratio} | ${fmt(f.cpuUser, 2)} + ${fmt(f.cpuSystem, 2)} |`
    );
  }
  return lines;
}
