// The transfers benchmark's Markdown report: one table per regime (loopback,
// realistic), every client and the floor on every row.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export const GiB = 1024 ** 3;
export const mb = (bytes, seconds) => bytes / 1e6 / seconds;
export const fmt = (x, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const size = (bytes, unit, name) =>
  `${Number.isInteger(bytes / unit) ? bytes / unit : (bytes / unit).toFixed(2)} ${name}`;

function machine() {
  const cpus = os.cpus();
  let goVersion = 'unknown';
  try {
    goVersion = execFileSync('go', ['version'], { encoding: 'utf8' })
      .trim()
      .replace(/^go version /, '');
  } catch {
    // reported as unknown
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ram: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    go: goVersion
  };
}

const LABEL = {
  s5cmd: 's5cmd',
  aws: 'aws-cli (`aws s3`)',
  engine: 'jupyterlab-eos engine',
  eos: '`eos cp` / `eos sync`',
  floor: 'floor: `node:http`, positioned writes, one thread'
};

function loadLine(loads) {
  const mean = loads.reduce((a, b) => a + b, 0) / loads.length;
  return `start ${fmt(loads[0])}, end ${fmt(loads.at(-1))}, mean ${fmt(mean)}, highest ${fmt(Math.max(...loads))}`;
}

/** The label of each row kind, from the data sets. */
export function rowLabels(sets) {
  const label = set =>
    set.folder
      ? `${set.count.toLocaleString('en-US')} × ${set.bytes >= 1024 * 1024 ? size(set.bytes, 1024 * 1024, 'MiB') : size(set.bytes, 1024, 'KiB')}`
      : `1 × ${size(set.bytes, GiB, 'GiB')}`;
  return Object.fromEntries(
    Object.entries(sets).flatMap(([kind, set]) => [
      [`${kind} upload`, `upload ${label(set)}`],
      [`${kind} download`, `download ${label(set)}`],
      [`${kind} sync`, `no-op sync of ${label(set)}`]
    ])
  );
}

function rowLine(row, rows, rowLabel) {
  const s5 = rows.find(
    r => r.regime === row.regime && r.rowKind === row.rowKind && r.direction === row.direction && r.tool === 's5cmd'
  );
  const ok = row.problem === null;
  const ratio = ok && s5?.problem === null ? s5.seconds / row.seconds : null;
  let rss = row.rss ? fmt(row.rss / 1e6, 0) : '–';
  if (row.sampledRss) {
    rss += ` (sampled ${fmt(row.sampledRss / 1e6, 0)})`;
  }
  const runs = row.runs.length > 1 ? ` (${row.runs.map(r => fmt(r.seconds, 1)).join(', ')})` : '';
  const cpuPerGiB = ok && row.bytes > 0 && row.cpu !== null ? fmt(row.cpu / (row.bytes / GiB), 2) : '–';
  const cpu = ok && row.cpu !== null ? fmt(row.cpu, 2) : '–';
  const proxy = row.proxyCpu !== undefined && row.proxyCpu !== null ? fmt(row.proxyCpu, 1) : '–';
  const checked = ok ? (row.checked ?? 'byte-exact') : row.problem.replace(/\|/g, '\\|');
  return `| ${rowLabel[`${row.rowKind} ${row.direction}`]} | ${LABEL[row.tool]} | ${fmt(row.seconds, 2)}${runs} | ${ok && row.bytes > 0 ? fmt(mb(row.bytes, row.seconds)) : '–'} | ${ratio === null ? '–' : `${fmt(ratio, 2)}×`} | ${cpu} | ${cpuPerGiB} | ${rss} | ${proxy} | ${checked} |`;
}

/** The report, with the run's settings in `info`. */
export function renderReport(rows, info) {
  const m = machine();
  const rowLabel = rowLabels(info.sets);
  const lines = [
    '# Transfers: local disk ↔ S3-compatible server, on loopback and through an S3-like network',
    '',
    `- Command: \`${info.command}\``,
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; whole run ${fmt(info.totalSeconds / 60, 1)} min`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram} RAM, ${m.os}; Node ${m.node}; ${m.go}`,
    `- Load average (1 min) through the run, sampled every 15 s: ${loadLine(info.loads)}, on ${m.cores} cores (other work on the machine skews every row, wall times most)`,
    `- Server: versitygw ${info.versions.versitygw} (posix backend on a temp folder, 127.0.0.1)`,
    `- Peers: ${info.versions.aws}; s5cmd ${info.versions.s5cmd}; both with their default concurrency`,
    "- Engine: `Engine.transfer` / `Engine.sync` from `src/service/engine`, bundled from `bench/engine-transfer.ts`, one process per transfer; `eos`: the project venv's console script (Python shim, then the bundled CLI)",
    '',
    'Wall seconds of the whole process (start-up included)' +
      (info.repeat > 1
        ? `, the best of ${info.repeat} rounds (clients in a rotated order each round; all runs in brackets)`
        : '') +
      '; MB/s = 10^6 bytes per second; vs s5cmd = s5cmd seconds / this client’s seconds (above 1: faster).',
    'CPU = user + system seconds of the client’s process tree (`/usr/bin/time`, children included), and the same',
    'per GiB moved: the robust figure on a loaded machine, where wall time is noisy. Peak RSS from `/usr/bin/time`',
    '(for the engine also `process.memoryUsage().rss` sampled every 50 ms). Proxy CPU: toxiproxy’s own user + system',
    'seconds during the run (it shares the two cores). Every result is checked: uploads in the server’s folder,',
    "downloads on disk; the big file by size and sha256, a folder by every file's size and the sha256 of",
    `${info.sample} spread over it; a no-op sync by the server's copy being untouched (same files, same times).`,
    '',
    'The floor row is not a client: `bench/node-http-floor.mjs`, Node’s own HTTP client alone (keep-alive agent, URLs',
    'presigned before its clock starts, no SDK, one thread), each body written to its file at its offset with',
    '`fs.write`, with the engine’s default ranges on 2 threads (8 × 32 MiB) and files (16) in flight. Its CPU is counted inside',
    'its clock only (presigning and start-up left out): the least a Node download on one thread costs here.'
  ];
  for (const regime of info.regimes) {
    const regimeRows = rows.filter(r => r.regime === regime.name);
    if (regimeRows.length === 0) {
      continue;
    }
    lines.push('', `## ${regime.title}`, '', ...regime.notes, '');
    lines.push(
      '| transfer | client | seconds | MB/s | vs s5cmd | CPU (s) | CPU s/GiB | peak RSS (MB) | proxy CPU (s) | checked |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |'
    );
    for (const row of regimeRows) {
      lines.push(rowLine(row, rows, rowLabel));
    }
    const jobs = regimeRows
      .filter(r => r.tool === 'engine' && r.runs.some(run => run.jobSeconds))
      .map(r => `${rowLabel[`${r.rowKind} ${r.direction}`]} ${r.runs.map(run => fmt(run.jobSeconds, 2)).join(', ')} s`);
    if (jobs.length > 0) {
      lines.push('', `The engine's job alone (Node's start-up excluded): ${jobs.join('; ')}.`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
