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
 * Prints one JSON line: the job's state, seconds, and the peak RSS sampled
 * every 50 ms; exits 1 unless the job is done.
 */
import { TransferRequest } from '../src/core';
import { loadConfig } from '../src/service/engine/config';
import { Engine } from '../src/service/engine';
import { downloadThreadsBeside } from '../src/service/engine/transfer/threads';
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
  const store = new EosStore(createS3Client(config), config.context, endpointLabel(config));
  const engine = new Engine(store, { rootDir: config.rootDir, downloadThreads: downloadThreadsBeside(__dirname) });
  const started = performance.now();
  let job =
    kind === 'sync'
      ? await engine.sync({ source: sources[0], destination })
      : await engine.transfer({ kind: kind as TransferRequest['kind'], sources, destination, conflict: 'overwrite' });
  while (job.state === 'running') {
    job = await engine.jobs.wait(job.id, WAIT_MS);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const { state, bytes, objects, error, failures } = job;
  console.log(JSON.stringify({ state, seconds, peakRss, bytes, objects, error, failures: failures?.slice(0, 5) }));
  return state === 'done' ? 0 : 1;
}

main().then(
  code => process.exit(code),
  err => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
);
