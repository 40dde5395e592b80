/**
 * `eos uri`, `eos presign` and `eos df`: the forms of a location, a
 * presigned URL with its real expiry, and the local disk as the gauge sees it.
 */
import {
  DEFAULT_PRESIGN_SECONDS,
  DiskResponse,
  PresignResponse,
  formatEosUri,
  parseAnyLocation,
  pythonSnippet,
  s3Uri,
  shareableUri
} from '../../../core';
import { diskMonitorOf } from '../../engine';
import { presign as presignUrl } from '../../engine';
import { durationText, humanSize, parseDuration } from '../format';
import { Output } from '../output';
import { Session } from '../session';
import { UsageError } from './cp';

/** The four forms of a location (`s3` is null for `e://` and `e://users/`, which have no single one). */
export interface UriForms {
  uri: string;
  shareable: string;
  s3: string | null;
  python: string;
}

export function uriForms(session: Session, text: string): UriForms {
  const { ctx } = session.store;
  const path = parseAnyLocation(text, ctx); // outside EOS: its s3:// URI throughout, File(path_s3=…)
  let s3: string | null = null;
  if (path.namespace !== null && !(path.namespace === 'users' && path.user === null)) {
    s3 = s3Uri(path, ctx);
  }
  const shareable = shareableUri(path, ctx);
  return { uri: formatEosUri(path), shareable, s3, python: pythonSnippet(shareable) };
}

export function uri(session: Session, out: Output, texts: string[]): void {
  for (const text of texts) {
    const forms = uriForms(session, text);
    if (out.json) {
      out.record(forms);
      continue;
    }
    out.result(`e://       ${out.name(forms.uri)}`);
    out.result(`shareable  ${out.name(forms.shareable)}`);
    out.result(`s3://      ${out.name(forms.s3 ?? '(none: it lists namespaces or users)')}`);
    out.result(`python     ${out.name(forms.python)}`);
  }
}

/** What a presigned URL's expiry note says, as the panel's notification does. */
export function expiryNote(answer: PresignResponse): string {
  const lasting = durationText(answer.expiresIn);
  const why =
    answer.limitedBy === 'credentials'
      ? `${lasting}; shorter: your credentials expire sooner`
      : answer.limitedBy === 'maximum'
        ? `${lasting}, the 7-day maximum`
        : lasting;
  return `Anyone with this URL can read the object until ${answer.expiresAt} (${why}).`;
}

export async function presign(session: Session, out: Output, text: string, expiresIn?: string): Promise<void> {
  const seconds = expiresIn === undefined ? DEFAULT_PRESIGN_SECONDS : parseDuration(expiresIn);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(
      `--expires-in takes a duration such as 3600, 90m, 48h or 7d, not ${JSON.stringify(expiresIn)}`
    );
  }
  const answer = await presignUrl(session.store, text, seconds);
  if (out.json) {
    out.record(answer);
    return;
  }
  out.result(answer.url);
  out.note(expiryNote(answer));
}

/**
 * `eos df`: the root's disk as the gauge measures it (the same monitor and
 * configuration: filesystem or quota mode, the limit, the thresholds). In
 * quota mode the walk of the root is waited for.
 */
export async function df(session: Session, out: Output, human: boolean): Promise<void> {
  const monitor = diskMonitorOf(session.config);
  let disk: DiskResponse;
  try {
    if ((await monitor.mode()).mode === 'quota') {
      await monitor.refresh();
    }
    disk = await monitor.usage();
  } finally {
    monitor.close();
  }
  if (out.json) {
    out.record(disk);
    return;
  }
  const size = (n: number) => (human ? humanSize(n) : String(n));
  const cols = [size(disk.capacity), size(disk.used), size(disk.free), `${Math.round(disk.percent)}%`];
  out.result(
    `${'Size'.padStart(10)} ${'Used'.padStart(10)} ${'Avail'.padStart(10)} ${'Use%'.padStart(5)}  Status    Mode        Root`
  );
  out.result(
    `${cols[0].padStart(10)} ${cols[1].padStart(10)} ${cols[2].padStart(10)} ${cols[3].padStart(5)}  ` +
      `${disk.level.padEnd(8)}  ${disk.mode.padEnd(10)}  ${out.name(disk.root)}`
  );
  if (disk.level !== 'ok') {
    out.note(
      `The disk is ${Math.round(disk.percent)}% full: move large files to EOS (eos cp, then rm the local copy).`
    );
  }
}
