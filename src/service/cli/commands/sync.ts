/**
 * `eos sync SRC DST`: make DST hold what SRC holds, one way (local -> EOS,
 * EOS -> local or EOS -> EOS, server-side), by size and modification time;
 * `--delete` removes what only DST has; `--dryrun` prints the plan.
 */
import { EosError, PathFilter, SyncPlan, SyncRequest } from '../../../core';
import { failuresSummary } from '../../engine';
import { failuresError, follow, interruptible } from '../follow';
import { humanSize } from '../format';
import { Output } from '../output';
import { Session, isRemote } from '../session';
import { UsageError, report } from './cp';

export interface SyncOptions {
  delete?: boolean;
  dryrun?: boolean;
  /** Include and exclude globs, in the order given (the last that matches decides). */
  filters?: PathFilter[];
}

export async function sync(session: Session, out: Output, src: string, dst: string, options: SyncOptions) {
  if (!isRemote(src) && !isRemote(dst)) {
    throw new UsageError('sync needs an e:// or s3:// folder on at least one side');
  }
  const side = (arg: string) => (isRemote(arg) ? arg : session.local(arg));
  const request: SyncRequest = {
    source: side(src),
    destination: side(dst),
    delete: options.delete === true,
    filters: options.filters ?? []
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
    const failedCount = plan.failedCount ?? 0;
    const cut =
      plan.copyCount > plan.copy.length ||
      plan.deleteCount > plan.delete.length ||
      failedCount > (plan.failed?.length ?? 0);
    out.summary(
      `Would copy ${plan.copyCount} (${humanSize(plan.bytes)}), delete ${plan.deleteCount}, ` +
        `leave ${plan.unchanged} unchanged${failedCount ? `; ${failedCount} cannot be copied` : ''}` +
        `${cut ? ' (the lists above show the first 1,000 of each)' : ''}`
    );
    if (failedCount > 0) {
      // As the sync itself would end: each item named on stderr, exit 1.
      throw wouldFail(out, plan);
    }
    return;
  }
  const job = await follow(engine, out, 'sync', signal => engine.sync(request, signal));
  report(out, job, 'Synced', dst);
}

/** The error a dry run ends with when the sync would fail items, worded as the sync's own. */
function wouldFail(out: Output, plan: SyncPlan): EosError {
  const base = isRemote(plan.source) ? plan.source.replace(/\/?$/, '/') : '';
  const failures = (plan.failed ?? []).map(f => ({ item: base + f.path, error: f.error }));
  return failuresError(out, failures, failuresSummary(failures, plan.failedCount));
}
