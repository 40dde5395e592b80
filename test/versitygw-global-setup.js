// Starts versitygw (test/versitygw.js) for the jest project that runs the
// store-level service tests a second time, against a real S3 implementation,
// with the same org and Gencove buckets as moto's set-up, empty. Its endpoint
// and ids go in EOS_TEST_S3_VERSITYGW; test/versitygw-env.js hands them to the
// harness as EOS_TEST_S3 in that project's test files only.
const { execFileSync } = require('child_process');
const path = require('path');
const { projectPython } = require('./python');
const { startVersitygw } = require('./versitygw');
const { workerCount } = require('./workers');

/** The test ids and bucket names, from the same place moto's set-up takes them. */
function testIds() {
  const script = [
    'import json',
    'from devtools import seed',
    'print(json.dumps({"userId": seed.DEMO_USER_ID, "orgId": seed.DEMO_ORG_ID,',
    ' "otherUserId": seed.OTHER_USER_ID, "orgBucket": seed.org_bucket(seed.DEMO_ORG_ID),',
    ' "gencoveBucket": seed.GENCOVE_BUCKET}))'
  ].join('\n');
  const out = execFileSync(projectPython(), ['-c', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
  return JSON.parse(out);
}

module.exports = async function (globalConfig) {
  const ids = testIds();
  // One server per jest worker (test/workers.js).
  const started = await Promise.allSettled(
    Array.from({ length: workerCount(globalConfig) }, () => startVersitygw([ids.orgBucket, ids.gencoveBucket]))
  );
  globalThis.__EOS_VERSITYGW__ = started.filter(s => s.status === 'fulfilled').map(s => s.value);
  const failed = started.find(s => s.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
  process.env.EOS_TEST_S3_VERSITYGW = JSON.stringify(
    started.map(s => ({ ...ids, endpoint: s.value.endpoint, server: 'versitygw' }))
  );
};
