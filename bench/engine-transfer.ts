/**
 * The benchmark's front door onto the transfer engine: one transfer, run to
 * its end, in a process of its own (bench/transfers.mjs bundles this file
 * with esbuild and times it next to aws-cli and s5cmd).
 *
 *   node engine-transfer.cjs upload|download <destination> <source>...
 *
 * Configuration comes from the environment, as the service's does
 * (`GENCOVE_USER_ID`, `GENCOVE_ORGANIZATION_ID`, `EOS_ENDPOINT_URL`,
 * `EOS_ROOT_DIR`, AWS credentials). Local paths are relative to the root.
 * Prints one JSON line: the job's state, seconds, CPU seconds, the peak RSS
 * sampled every 50 ms and how the files were checked; exits 1 unless the job
 * is done.
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
  if ((kind !== 'upload' && kind !== 'download') || !destination || sources.length === 0) {
    console.error('usage: engine-transfer upload|download <destination> <source>...');
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
  const engine = new Engine(store, {
    rootDir: config.rootDir,
    downloadThreads: downloadThreadsBeside(__dirname),
    verifyChecksums: config.verifyChecksums
  });
  const request: TransferRequest = { kind, sources, destination, conflict: 'overwrite' };
  const started = performance.now();
  let job = await engine.transfer(request);
  while (job.state === 'running') {
    job = await engine.jobs.wait(job.id, WAIT_MS);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const { state, bytes, objects, error, failures, integrity } = job;
  // CPU seconds of the whole process, its download threads included (getrusage RUSAGE_SELF).
  const usage = process.cpuUsage();
  const cpu = (usage.user + usage.system) / 1e6;
  const failed = failures?.slice(0, 5);
  console.log(JSON.stringify({ state, seconds, cpu, peakRss, bytes, objects, integrity, error, failures: failed }));
  return state === 'done' ? 0 : 1;
}

main().then(
  code => process.exit(code),
  err => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
);
