module.exports = async function () {
  const proc = globalThis.__EOS_MOTO__;
  if (proc && proc.exitCode === null) {
    proc.stdin.end();
    proc.kill('SIGTERM');
  }
};
