/**
 * The demo's EOS service process, as the server side sees it: the Node
 * process jupyter-server-proxy started under this run's JupyterLab (the demo
 * writes that process's id to `.demo/lab.pid`). Linux only (`/proc`).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The ids of the live processes whose parent is `parent`. */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      // `pid (comm) state ppid ...`: the name may hold spaces and parentheses, so read after the last `)`.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf-8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // A killed child stays listed (state Z) until its parent reaps it.
      if (Number(ppid) === parent && state !== 'Z') {
        children.push(Number(name));
      }
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** The command line of a process, or '' once it is gone. */
function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf-8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The id of this demo's EOS service process, or null while none runs. */
export function servicePid(): number | null {
  const lab = Number(fs.readFileSync(path.resolve(__dirname, '../../.demo/lab.pid'), 'utf-8'));
  const found = childrenOf(lab).filter(pid => commandLine(pid).includes('eos-service.cjs --socket'));
  return found.length === 1 ? found[0] : null;
}
