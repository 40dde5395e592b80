// Stops the versitygw the global setup started, waits for it to exit, and
// removes its data folder.
const fs = require('fs');

module.exports = async function () {
  const server = globalThis.__EOS_VERSITYGW__;
  if (!server) {
    return;
  }
  const { proc, dir } = server;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise(resolve => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
};
