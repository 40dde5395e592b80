// Stops the moto servers the global setup started, and waits for each to exit
// (up to a few seconds) so jest is not left waiting on a child process.
async function stop(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return;
  }
  const exited = new Promise(resolve => proc.once('exit', resolve));
  proc.stdin.end();
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

module.exports = async function () {
  await Promise.all((globalThis.__EOS_MOTO__ ?? []).map(stop));
};
