// Stops the versitygw servers the global setup started, waits for each to
// exit, and removes their data folders.
const fs = require('fs');

async function stop({ proc, dir }) {
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise(resolve => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = async function () {
  await Promise.all((globalThis.__EOS_VERSITYGW__ ?? []).map(stop));
};
