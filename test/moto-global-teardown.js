// Stops the moto server the global setup started, and waits for it to exit
// (up to a few seconds) so jest is not left waiting on the child process.
module.exports = async function () {
  const proc = globalThis.__EOS_MOTO__;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
    return;
  }
  const exited = new Promise(resolve => proc.once('exit', resolve));
  proc.stdin.end();
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
};
