// Starts moto's S3 server (devtools/s3server.py) on a free loopback port for
// the service tests, with the org and Gencove buckets created but empty: each
// test suite writes the objects it asserts on.
const { spawn } = require('child_process');
const path = require('path');
const { projectPython } = require('./python');

module.exports = async function () {
  const root = path.join(__dirname, '..');
  const proc = spawn(projectPython(), ['-m', 'devtools.s3server', '--seed', 'buckets', '--stdin'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit']
  });
  const info = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('moto did not start within 60 s')), 60000);
    proc.stdout.on('data', chunk => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)));
      }
    });
    proc.on('exit', code => reject(new Error(`moto exited with ${code}`)));
  });
  globalThis.__EOS_MOTO__ = proc;
  process.env.EOS_TEST_S3 = JSON.stringify({ ...info, server: 'moto' });
};
