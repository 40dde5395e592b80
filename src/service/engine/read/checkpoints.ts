/**
 * Checkpoints of documents opened from EOS, kept in the service's memory:
 * never written as S3 objects beside the user's data. One per object (as
 * JupyterLab keeps one), the oldest dropped when they hold more than
 * `maxBytes` together; lost when the service restarts.
 */
import { Checkpoint, CheckpointsResponse, EosError, MAX_OPEN_LIMIT, formatEosUri, toS3 } from '../../../core';
import { checkSave, readContent, saveContent } from './content';
import { EosStore } from '../s3/store';

/** The default memory all checkpoints may take together. */
export const CHECKPOINT_MEMORY = 256 * 1024 * 1024;

interface Kept {
  checkpoint: Checkpoint;
  bytes: Buffer;
}

/** The service's checkpoints, by canonical URI. */
export class Checkpoints {
  private readonly kept = new Map<string, Kept>();
  private used = 0;

  constructor(
    private readonly store: EosStore,
    private readonly maxBytes = CHECKPOINT_MEMORY
  ) {}

  /** The checkpoints of `uri` (none or one). */
  list(uri: string): CheckpointsResponse {
    const kept = this.kept.get(this.canonical(uri));
    return { checkpoints: kept ? [kept.checkpoint] : [] };
  }

  /** Keep the object's current bytes (replacing its earlier checkpoint). */
  async create(uri: string, signal?: AbortSignal): Promise<CheckpointsResponse> {
    // Every file the editor may open (up to MAX_OPEN_LIMIT) can be checkpointed.
    const read = await readContent(this.store, uri, { format: 'base64', limit: MAX_OPEN_LIMIT, signal });
    const bytes = Buffer.from(read.content ?? '', 'base64');
    this.forget(read.uri);
    if (bytes.length <= this.maxBytes) {
      while (this.used + bytes.length > this.maxBytes) {
        this.forget(this.kept.keys().next().value!);
      }
      this.kept.set(read.uri, { checkpoint: { id: 'checkpoint', modified: new Date().toISOString() }, bytes });
      this.used += bytes.length;
    }
    return this.list(read.uri);
  }

  /**
   * Write checkpoint `id` back over the object (the user asked for it, so
   * unconditionally; read-only places are refused first).
   *
   * @throws EosError `ReadOnly` (before looking for the checkpoint); `NotFound` when there is no such checkpoint
   */
  async restore(uri: string, id: string | undefined, signal?: AbortSignal): Promise<CheckpointsResponse> {
    checkSave(this.store, uri);
    const key = this.canonical(uri);
    const kept = this.kept.get(key);
    if (!kept || (id !== undefined && kept.checkpoint.id !== id)) {
      throw new EosError('NotFound', `No checkpoint of ${key} to restore`);
    }
    const current = await readContent(this.store, key, { content: false, signal }).catch(err => {
      if (err instanceof EosError && err.code === 'NotFound') {
        return null;
      }
      throw err;
    });
    await saveContent(this.store, key, kept.bytes, current?.etag, signal);
    return this.list(key);
  }

  /** Forget checkpoint `id` of `uri` (nothing when there is none). */
  delete(uri: string): CheckpointsResponse {
    const key = this.canonical(uri);
    this.forget(key);
    return this.list(key);
  }

  /** The canonical URI of an object `uri` (a key over 1,024 bytes is refused, as everywhere). */
  private canonical(uri: string): string {
    const path = this.store.locate(uri);
    toS3(path, this.store.ctx);
    return formatEosUri(path);
  }

  private forget(key: string): void {
    const kept = this.kept.get(key);
    if (kept) {
      this.used -= kept.bytes.length;
      this.kept.delete(key);
    }
  }
}
