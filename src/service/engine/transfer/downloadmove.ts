/**
 * What a moving download (`eos mv e://… local`) deletes from EOS, and when.
 */
import { EosStore } from '../s3/store';
import { Deleter } from '../s3/batches';
import { JobContext } from '../jobs/jobs';
import { asItem } from './run';

/**
 * The sources a moving download deletes: each object once its file is in
 * place (in batches), then the markers of the folders it made locally that
 * hold nothing kept (a skipped or failed object keeps its folders).
 */
export class DownloadedSources {
  readonly folders: { bucket: string; key: string; uri: string }[] = [];
  private readonly deleters = new Map<string, Deleter>();
  private readonly kept: string[] = [];

  constructor(private readonly store: EosStore) {}

  /** An object that stays (skipped or failed): its folders stay too. */
  keep(uri: string): void {
    this.kept.push(uri);
  }

  async remove(o: { bucket: string; key: string; uri: string; size: number }, signal: AbortSignal): Promise<void> {
    await this.deleterFor(o.bucket).add({ key: o.key, size: o.size, uri: o.uri }, signal);
  }

  /** Delete the objects still waiting. */
  async flush(): Promise<void> {
    for (const d of this.deleters.values()) {
      await d.flush();
    }
  }

  /** After a run that went to its end: delete what is left, then the folders' markers; a failure is `item`'s. */
  async finish(ctx: JobContext, item: string): Promise<void> {
    await asItem(ctx, item, async () => {
      await this.flush();
      // The deepest first: a store over a filesystem removes a folder only once it is empty.
      const empty = this.folders.filter(f => !this.kept.some(u => u.startsWith(f.uri)));
      for (const f of empty.sort((a, b) => b.key.length - a.key.length)) {
        await this.deleterFor(f.bucket).add({ key: f.key, size: 0, uri: f.uri });
      }
      await this.flush();
    });
  }

  private deleterFor(bucket: string): Deleter {
    let d = this.deleters.get(bucket);
    if (d === undefined) {
      d = new Deleter(this.store, bucket);
      this.deleters.set(bucket, d);
    }
    return d;
  }
}
