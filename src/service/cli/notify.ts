/**
 * Telling the running services what this command wrote: the folders its
 * writes touched in EOS and whether it changed the local disk, posted to
 * `api/changed` on each service of the same identity advertised in the state
 * dir (see engine/peers.ts). Best effort: a service that is not there, slow
 * or refusing never fails the command.
 */
import * as http from 'node:http';
import { CHANGED_ROUTE, ChangedBody, EosContext, FolderChanges } from '../../core';
import { Changes } from '../engine';
import { findPeers, forgetIfGone } from '../engine';

/** How long one post may take before it is given up, in ms. */
export const NOTIFY_TIMEOUT_MS = 2000;
/** The most characters of URIs in one post (the service takes bodies up to 1 MiB). */
const MAX_POST_CHARS = 512 * 1024;

/** Where the services are and who this command is. */
export interface NotifyOptions {
  stateDir: string | null;
  ctx: EosContext;
  endpoint: string | undefined;
  /** The Jupyter root this command writes in. */
  rootDir: string;
  /** Where failures are told (EOS_DEBUG); silent by default. */
  log?: (line: string) => void;
}

/** Posts a command's changes to the running services, as they are reported and once more at the end. */
export class ServiceNotifier {
  private readonly pending = new Set<Promise<void>>();
  private stop: () => void;

  constructor(
    private readonly changes: Changes,
    private readonly options: NotifyOptions,
    /** Whether the command changed the local disk since the last call. */
    private readonly touchedDisk: () => boolean
  ) {
    this.stop = changes.onChange(c => this.send(c, this.touchedDisk()));
  }

  /** Post what is left, wait for the posts (at most NOTIFY_TIMEOUT_MS each), stop listening. */
  async close(): Promise<void> {
    this.changes.flush();
    if (this.touchedDisk()) {
      this.send({ written: [], removed: [] }, true);
    }
    this.stop();
    await Promise.all([...this.pending]);
  }

  private send(changes: FolderChanges, disk: boolean): void {
    if (this.options.stateDir === null) {
      return;
    }
    const local = disk ? this.options.rootDir : undefined;
    const post = this.post(changes, local).catch(err => this.options.log?.(`eos: cannot tell the service: ${err}`));
    this.pending.add(post);
    void post.finally(() => this.pending.delete(post));
  }

  private async post(changes: FolderChanges, local: string | undefined): Promise<void> {
    const { stateDir, ctx, endpoint } = this.options;
    const peers = await findPeers(stateDir!, ctx, endpoint);
    const bodies = split(changes).map(c => JSON.stringify({ ...c, ...(local && { local }) } satisfies ChangedBody));
    await Promise.all(
      peers.map(async ({ file, advert }) => {
        for (const body of bodies) {
          try {
            await postTo(advert.socket, body);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ENOENT' || code === 'ECONNREFUSED') {
              forgetIfGone(file, advert.pid);
            }
            throw err;
          }
        }
      })
    );
  }
}

/** Changes in parts small enough for one request each. */
function split(changes: FolderChanges): FolderChanges[] {
  const parts: FolderChanges[] = [];
  let part: FolderChanges = { written: [], removed: [] };
  let chars = 0;
  const put = (field: keyof FolderChanges, uri: string) => {
    if (chars + uri.length > MAX_POST_CHARS || part.written.length + part.removed.length >= 1000) {
      parts.push(part);
      part = { written: [], removed: [] };
      chars = 0;
    }
    part[field].push(uri);
    chars += uri.length;
  };
  changes.written.forEach(uri => put('written', uri));
  changes.removed.forEach(uri => put('removed', uri));
  parts.push(part);
  return parts;
}

/** POST one body to `api/changed` on a unix socket. */
function postTo(socketPath: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath,
        method: 'POST',
        path: `/${CHANGED_ROUTE}`,
        // The socket is the user's own (0600 in a 0700 folder); without cookies, an
        // Authorization header is what the service takes as a non-browser client.
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'eos-cli',
          'Content-Length': Buffer.byteLength(body)
        },
        timeout: NOTIFY_TIMEOUT_MS,
        agent: false
      },
      res => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`))));
      }
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
