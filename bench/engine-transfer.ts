/**
 * The benchmark's front door onto the transfer engine: one transfer, run to
 * its end, in a process of its own (bench/transfers.mjs bundles this file
 * with esbuild and times it next to aws-cli and s5cmd).
 *
 *   node engine-transfer.cjs upload|download <destination> <source>...
 *   node engine-transfer.cjs sync <destination> <source>   (`Engine.sync`, no delete)
 *
 * Configuration comes from the environment, as the service's does
 * (`GENCOVE_USER_ID`, `GENCOVE_ORGANIZATION_ID`, `EOS_ENDPOINT_URL`,
 * `EOS_ROOT_DIR`, AWS credentials). Local paths are relative to the root.
 * Prints one JSON line: the job's state, seconds, CPU seconds, the peak RSS
 * sampled every 50 ms, the main thread's event-loop delay during the job
 * (`loopDelayMs`: p50, p99, max), the bytes sent in PUT bodies on this thread and
 * how the files were checked; exits 1 unless the job is done. With
 * `EOS_BENCH_LEDGER` interrupted transfers are kept in that file and resumed
 * (bench/resume.mjs); with `EOS_BENCH_PROGRESS=1` a `progress <bytes done>`
 * line goes to stderr every 50 ms.
 */
import * as diagnostics from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { TransferRequest } from '../src/core';
import { loadConfig } from '../src/service/engine/config';
import { Engine } from '../src/service/engine';
import { downloadSetup } from '../src/service/engine/transfer/threads';
import { createS3Client, endpointLabel } from '../src/service/engine/s3/client';
import { EosStore } from '../src/service/engine/s3/store';

const RSS_SAMPLE_MS = 50;
const WAIT_MS = 60000;

async function main(): Promise<number> {
  const [kind, destination, ...sources] = process.argv.slice(2);
  if (!['upload', 'download', 'sync'].includes(kind) || !destination || sources.length === 0) {
    console.error('usage: engine-transfer upload|download|sync <destination> <source>...');
    return 2;
  }
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const config = loadConfig(process.env);
  if (!config.context) {
    throw new Error(config.contextProblem ?? 'no EOS context');
  }
  const client = createS3Client(config);
  let sentBytes = 0;
  // Every PUT's body, the SDK's and the data path's (s3/dataput.ts), both on node:http: counted as
  // they start, on this thread only (with EOS_TRANSFER_THREADS=0 they all are).
  diagnostics.subscribe('http.client.request.start', message => {
    const { request } = message as { request: { method: string; getHeader(name: string): unknown } };
    if (request.method === 'PUT') {
      sentBytes += Number(request.getHeader('content-length') ?? 0);
    }
  });
  const store = new EosStore(client, config.context, endpointLabel(config));
  const ledger = process.env.EOS_BENCH_LEDGER;
  const engine = new Engine(store, {
    rootDir: config.rootDir,
    ...downloadSetup(__dirname, config.transfers),
    resume: ledger ? { file: ledger } : undefined,
    verifyChecksums: config.verifyChecksums
  });
  // How late the main thread's timers run during the job: what a request to the service waits
  // behind (bench/load.mjs measures it end to end as `whoami`'s slowdown).
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  let job =
    kind === 'sync'
      ? await engine.sync({ source: sources[0], destination })
      : await engine.transfer({ kind: kind as TransferRequest['kind'], sources, destination, conflict: 'overwrite' });
  const id = job.id;
  const progress =
    process.env.EOS_BENCH_PROGRESS === '1'
      ? setInterval(() => process.stderr.write(`progress ${engine.jobs.get(id).bytes.done}\n`), RSS_SAMPLE_MS)
      : undefined;
  while (job.state === 'running') {
    job = await engine.jobs.wait(job.id, WAIT_MS);
  }
  clearInterval(progress);
  loop.disable();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  const loopDelayMs = { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const { state, bytes, objects, error, failures, integrity } = job;
  // CPU seconds of the whole process, its download threads included (getrusage RUSAGE_SELF).
  const usage = process.cpuUsage();
  const cpu = (usage.user + usage.system) / 1e6;
  const failed = failures?.slice(0, 5);
  console.log(
    JSON.stringify({
      state,
      seconds,
      cpu,
      peakRss,
      loopDelayMs,
      sentBytes,
      bytes,
      objects,
      integrity,
      error,
      failures: failed
    })
  );
  return state === 'done' ? 0 : 1;
}

main().then(
  code => process.exit(code),
  err => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
);
