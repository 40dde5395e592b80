/**
 * `eos sync SRC DST`: make DST hold what SRC holds, one way (local -> EOS or
 * EOS -> local), by size and modification time; `--delete` removes what only
 * DST has; `--dryrun` prints the plan.
 */
import { SyncRequest } from '../../../core';
import { follow, interruptible } from '../follow';
import { humanSize } from '../format';
import { Output } from '../output';
import { Session, isRemote } from '../session';
import { UsageError, report } from './cp';

export interface SyncOptions {
  delete?: boolean;
  dryrun?: boolean;
  exclude?: string[];
}

export async function sync(session: Session, out: Output, src: string, dst: string, options: SyncOptions) {
  if (isRemote(src) === isRemote(dst)) {
    throw new UsageError('sync runs between a local folder and an e:// or s3:// folder, either way round');
  }
  const side = (arg: string) => (isRemote(arg) ? arg : session.local(arg));
  const request: SyncRequest = {
    source: side(src),
    destination: side(dst),
    delete: options.delete === true,
    exclude: options.exclude ?? []
  };
  const { engine } = session;
  if (options.dryrun) {
    const plan = await interruptible(out, signal => engine.syncPlan(request, signal));
    if (out.json) {
      out.record({ dryrun: true, ...plan });
      return;
    }
    for (const c of plan.copy) {
      out.result(`(dryrun) copy: ${out.name(c.path)} (${c.reason})`);
    }
    for (const d of plan.delete) {
      out.result(`(dryrun) delete: ${out.name(d.path)}`);
    }
    const cut = plan.copyCount > plan.copy.length || plan.deleteCount > plan.delete.length;
    out.summary(
      `Would copy ${plan.copyCount} (${humanSize(plan.bytes)}), delete ${plan.deleteCount}, ` +
        `leave ${plan.unchanged} unchanged${cut ? ' (the lists above show the first 1,000 of each)' : ''}`
    );
    return;
  }
  const job = await follow(engine, out, 'sync', signal => engine.sync(request, signal));
  report(out, job, 'Synced', dst);
}
