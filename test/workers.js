// The service tests' S3 servers are one per jest worker: a test file sees only
// its own writes, as when the files ran one at a time. The global set-ups start
// `workerCount` servers and put the list in an environment variable; each
// worker's harness takes the one at its JEST_WORKER_ID (src/service/__tests__/harness.ts).

/** How many servers to start: jest's worker count (one when it runs in band). */
function workerCount(globalConfig) {
  return Math.max(1, Number(globalConfig?.maxWorkers) || 1);
}

module.exports = { workerCount };
