// The computer uploads' part PUTs (issue 18): CPU seconds per GiB of sending
// parts held in memory, their CRC64NVME computed first, through the SDK's
// UploadPartCommand (how they went before) and through the uploads' data path
// (`uploadPart`, s3/dataput.ts: node:http, unsigned payload), each in a
// process of its own, alternated, against versitygw on loopback.
//
//   node bench/part-put.mjs [--parts 64] [--part-mib 8] [--repeat 3] [--out FILE]
//
// Prints a Markdown table (median of the runs, every run in brackets) and
// writes it to --out if given.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUCKET, engineEnv } from './engine-env.mjs';

const require = createRequire(import.meta.url);
const { startVersitygw } = require('../test/versitygw.js');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: '64' },
    'part-mib': { type: 'string', default: '8' },
    repeat: { type: 'string', default: '3' },
    out: { type: 'string' }
  }
});
const PARTS = Number(args.parts);
const PART_MIB = Number(args['part-mib']);
const GIB = (PARTS * PART_MIB) / 1024;

const dir = join(root, 'bench', '.cache', 'part-put');
mkdirSync(dir, { recursive: true });
const bundle = join(dir, 'part-put.cjs');
execFileSync(
  process.execPath,
  [join(root, 'scripts', 'build-service.mjs'), '--entry', join(root, 'bench', 'part-put.ts'), '--outfile', bundle],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }
);

const server = await startVersitygw([BUCKET]);
const loads = [];
const runs = { sdk: [], data: [] };
try {
  const env = engineEnv(server.endpoint);
  for (let round = 0; round < Number(args.repeat); round++) {
    for (const way of round % 2 ? ['data', 'sdk'] : ['sdk', 'data']) {
      loads.push(os.loadavg()[0]);
      const out = execFileSync(process.execPath, [bundle, way, String(PARTS), String(PART_MIB)], { env });
      const result = JSON.parse(out.toString().trim().split('\n').pop());
      runs[way].push(result);
      console.error(`${way}: ${result.seconds.toFixed(2)} s, CPU ${result.cpu.toFixed(2)} s`);
    }
  }
} finally {
  server.proc.kill('SIGTERM');
  rmSync(server.dir, { recursive: true, force: true });
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 2) => x.toFixed(d);
const row = (name, rs) => {
  const cpu = rs.map(r => r.cpu / GIB);
  const mbs = rs.map(r => (PARTS * PART_MIB * 1048576) / r.seconds / 1e6);
  return `| ${name} | ${fmt(median(cpu))} [${cpu.map(c => fmt(c)).join(', ')}] | ${fmt(median(mbs), 0)} |`;
};
const sdk = median(runs.sdk.map(r => r.cpu));
const data = median(runs.data.map(r => r.cpu));
const table = [
  '# Computer uploads: part PUTs through the SDK and through the data path',
  '',
  `- Command: \`node bench/part-put.mjs --parts ${PARTS} --part-mib ${PART_MIB} --repeat ${args.repeat}\``,
  `- Date: ${new Date().toISOString().slice(0, 19)}Z`,
  `- Machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}; load average (1 min) at each run ${loads.map(l => fmt(l, 1)).join(', ')}`,
  `- Server: versitygw on loopback; ${PARTS} parts of ${PART_MIB} MiB (${fmt(GIB)} GiB), one at a time, each with its CRC64NVME computed first (as computer.ts does)`,
  '',
  '| way | CPU s/GiB (median [runs]) | MB/s |',
  '| --- | ---: | ---: |',
  row('SDK UploadPartCommand (before)', runs.sdk),
  row('data path `uploadPart` (after)', runs.data),
  '',
  `The data path costs ${fmt(data / sdk)}× the SDK's CPU.`,
  ''
].join('\n');
console.log(table);
if (args.out) {
  writeFileSync(args.out, table);
}
