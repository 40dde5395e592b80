/**
 * The one freshness rule of the tree: every object the service writes or
 * deletes in S3 invalidates the EOS folder that lists it. The rule sits on
 * the S3 client itself (a middleware that sees every successful write
 * command), so no job kind, front door or future write can forget it. The one
 * write that does not pass the client, a whole object PUT on the data path
 * (dataput.ts, often on a transfer thread), is told by its caller
 * (transfer/putfile.ts). Clients get the touched folders, coalesced, and list
 * again those they show.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { EosContext, FolderChanges, formatEosUri, fromS3, parent } from '../../../core';

/** How soon the first folders touched are reported, in ms. */
export const CHANGES_DELAY_MS = 250;
/** The least time between two reports, in ms (a long job writing all along reports at this pace). */
export const CHANGES_INTERVAL_MS = 1000;

/** The S3 commands that change a listing, and the keys each changes. */
const WRITES: Record<string, (input: Record<string, unknown>) => { keys: string[]; removed: boolean }> = {
  PutObjectCommand: i => ({ keys: [String(i.Key)], removed: false }),
  CopyObjectCommand: i => ({ keys: [String(i.Key)], removed: false }),
  CompleteMultipartUploadCommand: i => ({ keys: [String(i.Key)], removed: false }),
  DeleteObjectCommand: i => ({ keys: [String(i.Key)], removed: true }),
  DeleteObjectsCommand: i => ({
    keys: ((i.Delete as { Objects?: { Key?: string }[] } | undefined)?.Objects ?? []).map(o => String(o.Key)),
    removed: true
  })
};

/**
 * Call `onWrite` after each successful write or delete `client` sends.
 * Returns the function that stops watching.
 */
export function watchWrites(
  client: S3Client,
  onWrite: (bucket: string, keys: string[], removed: boolean) => void
): () => void {
  // The SDK's middleware types are generic over every command; this one only reads `input` and the command name.
  type Args = { input: object };
  const middleware =
    (next: (args: Args) => Promise<unknown>, context: { commandName?: string }) => async (args: Args) => {
      const result = await next(args);
      const write = WRITES[context.commandName ?? ''];
      if (write) {
        const input = args.input as Record<string, unknown>;
        const { keys, removed } = write(input);
        try {
          onWrite(String(input.Bucket), keys, removed);
        } catch {
          // Telling clients is best effort: the write itself succeeded.
        }
      }
      return result;
    };
  client.middlewareStack.add(middleware as never, { step: 'initialize' });
  return () => void client.middlewareStack.remove(middleware as never);
}

/** Listens to the folders touched. */
export type ChangesListener = (changes: FolderChanges) => void;

/**
 * The EOS folders touched by writes (`written`) and deletes (`removed`),
 * collected and reported to listeners at most every `intervalMs`.
 */
export class Changes {
  private written = new Set<string>();
  private removed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private readonly listeners = new Set<ChangesListener>();

  constructor(
    private readonly ctx: EosContext,
    private readonly options: { delayMs?: number; intervalMs?: number } = {}
  ) {}

  /** Record a write (or a delete) of S3 keys: their folders are touched. Keys outside EOS are ignored. */
  keys(bucket: string, keys: readonly string[], removed: boolean): void {
    const uris: string[] = [];
    for (const key of keys) {
      try {
        const up = parent(fromS3({ bucket, key }, this.ctx));
        if (up !== null) {
          uris.push(formatEosUri(up));
        }
      } catch {
        // not an EOS key
      }
    }
    this.add(removed ? { written: [], removed: uris } : { written: uris, removed: [] });
  }

  /** Record folders by their canonical `e://` URIs (a command line's writes, told to the service). */
  add(changes: FolderChanges): void {
    changes.written.forEach(uri => this.written.add(uri));
    changes.removed.forEach(uri => this.removed.add(uri));
    if (this.written.size + this.removed.size === 0 || this.timer !== undefined) {
      return;
    }
    const { delayMs = CHANGES_DELAY_MS, intervalMs = CHANGES_INTERVAL_MS } = this.options;
    const wait = Math.max(delayMs, this.last + intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref?.();
  }

  /** Listen to the reports; returns the function that stops listening. */
  onChange(listener: ChangesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether folders wait to be reported. */
  get pending(): boolean {
    return this.written.size + this.removed.size > 0;
  }

  /** Report what was collected now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) {
      return;
    }
    const changes: FolderChanges = { written: [...this.written], removed: [...this.removed] };
    this.written.clear();
    this.removed.clear();
    this.last = Date.now();
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch {
        // one listener's failure (a closed stream) does not stop the others
      }
    }
  }
}
