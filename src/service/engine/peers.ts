/**
 * Where a user's running services can be found: each service listening on a
 * unix socket writes a small file into `<state dir>/services/` (mode 0700),
 * named by its S3 identity (user, buckets, endpoint) and process id, and
 * removes it when it closes. The `eos` command line reads them to tell the
 * services of the same identity what it wrote (`api/changed`), so that a
 * terminal's writes show in the panel as the panel's own do.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EosContext } from '../../core';

/** What a service advertises. */
export interface ServiceAdvert {
  /** The unix socket it listens on. */
  socket: string;
  pid: number;
  /** Its Jupyter root (its disk gauge measures that one). */
  rootDir: string;
}

/** The folder of the advertisements in a state dir. */
export function peersDir(stateDir: string): string {
  return path.join(stateDir, 'services');
}

/** The prefix of the advertisement files of one S3 identity. */
function identity(ctx: EosContext, endpoint: string | undefined): string {
  const text = [ctx.userId, ctx.orgBucket, ctx.gencoveBucket, endpoint ?? ''].join('\0');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Advertise a service; answers the function that removes the advertisement
 * (synchronous: it runs while the process exits).
 */
export async function advertise(
  stateDir: string,
  ctx: EosContext,
  endpoint: string | undefined,
  advert: ServiceAdvert
): Promise<() => void> {
  const dir = peersDir(stateDir);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${identity(ctx, endpoint)}-${advert.pid}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temp, JSON.stringify(advert), { mode: 0o600 });
  await fs.promises.rename(temp, file);
  return () => {
    try {
      fs.unlinkSync(file);
    } catch {
      // already gone
    }
  };
}

/** The services advertised for an identity, with their files (unreadable ones left out). */
export async function findPeers(
  stateDir: string,
  ctx: EosContext,
  endpoint: string | undefined
): Promise<{ file: string; advert: ServiceAdvert }[]> {
  const dir = peersDir(stateDir);
  const prefix = `${identity(ctx, endpoint)}-`;
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const found: { file: string; advert: ServiceAdvert }[] = [];
  for (const name of names.filter(n => n.startsWith(prefix) && n.endsWith('.json'))) {
    const file = path.join(dir, name);
    try {
      const advert = JSON.parse(await fs.promises.readFile(file, 'utf8')) as ServiceAdvert;
      if (typeof advert.socket === 'string' && typeof advert.pid === 'number') {
        found.push({ file, advert });
      }
    } catch {
      // being written, or not ours
    }
  }
  return found;
}

/** Remove the advertisement of a service that is gone (its process no longer exists). */
export function forgetIfGone(file: string, pid: number): void {
  try {
    process.kill(pid, 0);
    return; // alive (or not ours to signal): keep it
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      return;
    }
  }
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}
