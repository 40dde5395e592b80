// Starts moto's S3 server (devtools/s3server.py) on a free loopback port for
// the service tests, with the org and Gencove buckets created but empty: each
// test suite writes the objects it asserts on. One server per jest worker
// (test/workers.js): the specs that check a bad request changed nothing
// compare whole buckets, which another worker's writes would change.
const { spawn } = require('child_process');
const path = require('path');
const { projectPython } = require('./python');
const { workerCount } = require('./workers');

function startMoto(root) {
  const proc = spawn(projectPython(), ['-m', 'devtools.s3server', '--seed', 'buckets', '--stdin'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit']
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('moto did not start within 60 s')), 60000);
    proc.stdout.on('data', chunk => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve({ proc, info: JSON.parse(buf.slice(0, nl)) });
      }
    });
    proc.on('exit', code => reject(new Error(`moto exited with ${code}`)));
  });
}

module.exports = async function (globalConfig) {
  const root = path.join(__dirname, '..');
  const started = await Promise.allSettled(Array.from({ length: workerCount(globalConfig) }, () => startMoto(root)));
  globalThis.__EOS_MOTO__ = started.filter(s => s.status === 'fulfilled').map(s => s.value.proc);
  const failed = started.find(s => s.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
  process.env.EOS_TEST_S3 = JSON.stringify(started.map(s => ({ ...s.value.info, server: 'moto' })));
};
