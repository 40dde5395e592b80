// The Markdown report of bench/load.mjs.
import os from 'node:os';

const ms = v => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : 'n/a');
const mib = v => (Number.isFinite(v) ? `${(v / 2 ** 20).toFixed(0)} MiB` : 'n/a');
const sec = v => (Number.isFinite(v) ? `${v.toFixed(1)} s` : 'n/a');
const cpus = c =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${sec(v)}`)
    .join(', ');

/** The browser's table, with where each window's longest frame went. */
function frameSection(frames) {
  if (!frames) {
    return ['(no browser: --no-browser)', ''];
  }
  const frameRow = (label, key) => `| ${label} | ${ms(frames.idle[key])} | ${ms(frames.busy[key])} |`;
  const worst = (label, w) =>
    w
      ? `- ${label}: ${ms(w.ms)}, of which scripts ${ms(w.scriptMs)} (longest: ${w.scripts.join('; ') || 'none'}), ` +
        `style and layout ${ms(w.layout)}; the rest neither (paint, GC, other renderer work, or waiting for a CPU)`
      : `- ${label}: none`;
  return [
    `## The panel's frames while browsing, idle and during a second upload (${sec(frames.uploadSeconds)})`,
    '',
    '| Measure | Idle | During the upload |',
    '| --- | ---: | ---: |',
    `| Browsing time | ${sec(frames.idle.seconds)} | ${sec(frames.busy.seconds)} |`,
    frameRow('Longest animation frame (LoAF)', 'loaf'),
    frameRow('Longest long task', 'longtask'),
    frameRow('Longest gap between frames (rAF)', 'gap'),
    `| Animation frames over 50 ms (LoAF) | ${frames.idle.loafOver50} | ${frames.busy.loafOver50} |`,
    `| Gaps between frames over 50 ms (rAF) | ${frames.idle.gapsOver50} | ${frames.busy.gapsOver50} |`,
    `| Browsing actions (expand, scroll, collapse) | ${frames.idle.actions} | ${frames.busy.actions} |`,
    '',
    worst('Longest frame, idle', frames.idle.worst),
    worst('Longest frame, during the upload', frames.busy.worst),
    '',
    frames.how,
    ''
  ];
}

const probeRow = (label, lists, key) => {
  const f = p => `${ms(p[key].p50)} / ${ms(p[key].p99)} (${p[key].n})`;
  return `| ${label} p50 / p99 (count) | ${f(lists.idleProbes)} | ${f(lists.busyProbes)} |`;
};

export function report(r, setup) {
  const { BIG, OBJECTS, PORT, PAGE, CONCURRENT, FILES, FILE_BYTES, fileMib } = setup;
  const { conc, lists, frames } = r;
  return [
    `# Load benchmark, ${r.date}`,
    '',
    `Command: \`${r.command}\``,
    '',
    `Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory; ` +
      `Node ${process.version}; Chromium ${frames?.chromium ?? '-'}; jupyterlab-eos commit ${r.commit}. Load average ` +
      `${r.loadStart} at the start, ${os
        .loadavg()
        .map(v => v.toFixed(2))
        .join(' ')} at the end.`,
    '',
    `Set-up: versitygw (posix backend) on loopback holding \`${BIG}\` (${OBJECTS.toLocaleString('en-US')} objects, ` +
      `seeded in ${sec(r.seedSeconds)}); JupyterLab on port ${PORT}; every request goes JupyterLab -> ` +
      'jupyter-server-proxy -> the service on its unix socket, with the token, as the panel sends it. ' +
      `A list is one page of ${PAGE} entries of that folder (the panel's page size), the pages taken in turn.`,
    '',
    `## ${CONCURRENT} concurrent list requests`,
    '',
    '| Measure | Value |',
    '| --- | ---: |',
    `| Latency p50 / p99 / max | ${ms(conc.latency.p50)} / ${ms(conc.latency.p99)} / ${ms(conc.latency.max)} |`,
    `| Wall time for all ${CONCURRENT} | ${ms(conc.wall)} |`,
    `| Errors | ${conc.errors}${conc.errorSamples.length ? ` (${conc.errorSamples.join('; ')})` : ''} |`,
    `| Entries answered | ${conc.entries.toLocaleString('en-US')} |`,
    `| Service RSS before / peak during | ${mib(conc.rssBefore)} / ${mib(conc.rssPeak)} |`,
    `| CPU seconds during | ${cpus(conc.cpu)} |`,
    '',
    `## Sequential lists, idle and during a ${FILES.toLocaleString('en-US')} x ${fileMib} MiB upload`,
    '',
    '| Measure | Idle | During the upload |',
    '| --- | ---: | ---: |',
    `| Lists | ${lists.idle.n} | ${lists.busy.n} |`,
    `| Latency p50 | ${ms(lists.idle.p50)} | ${ms(lists.busy.p50)} |`,
    `| Latency p99 | ${ms(lists.idle.p99)} | ${ms(lists.busy.p99)} |`,
    `| Latency max | ${ms(lists.idle.max)} | ${ms(lists.busy.max)} |`,
    `| Errors | ${lists.idle.errors} | ${lists.busy.errors} |`,
    `| CPU seconds | ${cpus(lists.idleCpu)} | ${cpus(lists.busyCpu)} |`,
    probeRow('`eos/api/whoami` (proxy and service, no S3 call)', lists, 'whoami'),
    probeRow("JupyterLab's `api/status` (Jupyter alone)", lists, 'status'),
    '',
    `Upload (POST api/transfer, as the panel starts it, from the server's disk into \`e://users/me/incoming/\`): ` +
      `${sec(lists.upload)} by the job's own clock, ${((FILES * FILE_BYTES) / 2 ** 20 / lists.upload).toFixed(0)} MiB/s.`,
    '',
    ...frameSection(frames)
  ].join('\n');
}
