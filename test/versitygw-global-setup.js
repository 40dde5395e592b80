// Starts versitygw (test/versitygw.js) for the jest project that runs the
// store-level service tests a second time, against a real S3 implementation,
// with the same org and Gencove buckets as moto's set-up, empty. Its endpoint
// and ids go in EOS_TEST_S3_VERSITYGW; test/versitygw-env.js hands them to the
// harness as EOS_TEST_S3 in that project's test files only.
const { execFileSync } = require('child_process');
const path = require('path');
const { projectPython } = require('./python');
const { startVersitygw } = require('./versitygw');

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

module.exports = async function () {
  const ids = testIds();
  const server = await startVersitygw([ids.orgBucket, ids.gencoveBucket]);
  globalThis.__EOS_VERSITYGW__ = server;
  process.env.EOS_TEST_S3_VERSITYGW = JSON.stringify({ ...ids, endpoint: server.endpoint, server: 'versitygw' });
};
