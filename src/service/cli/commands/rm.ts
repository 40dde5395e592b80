/**
 * `eos rm URI...` (objects; folders with `-r`; never a namespace root) and
 * `eos mkdir URI...`.
 */
import { EosError } from '../../../core';
import { humanSize } from '../format';
import { follow } from '../follow';
import { previewDelete } from '../../engine';
import { Output } from '../output';
import { Session } from '../session';
import { preview } from './cp';

export interface RmOptions {
  recursive?: boolean;
  dryrun?: boolean;
}

export async function rm(session: Session, out: Output, uris: string[], options: RmOptions): Promise<void> {
  const request = { uris, recursive: options.recursive === true };
  if (options.dryrun) {
    await preview(out, 'delete', signal => previewDelete(session.store, request, signal));
    return;
  }
  const { engine } = session;
  const job = await follow(engine, out, 'delete', signal => engine.delete(request, signal));
  if (out.json) {
    out.record(job);
    return;
  }
  const n = job.objects.done;
  out.summary(`Deleted ${n} object${n === 1 ? '' : 's'} (${humanSize(job.bytes.done)})`);
}

export async function mkdir(session: Session, out: Output, uris: string[], parents = false): Promise<void> {
  for (const uri of uris) {
    const entry = await session.engine.mkdir(uri).catch(async err => {
      // `-p`: a folder already there is fine (an object of that name is not).
      if (parents && err instanceof EosError && err.code === 'Conflict' && !/as a file$/.test(err.message)) {
        return session.store.stat(uri);
      }
      throw err;
    });
    if (out.json) {
      out.record(entry);
    } else {
      out.result(out.name(entry.uri));
    }
  }
}
