/**
 * A job in words: its kind, where it goes, and what it is doing now. The
 * Transfers panel, the status bar and the jobs' notifications all say it
 * with these, so they never disagree.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { Job, JobKind, UnverifiedReason, summarizeIntegrity } from '../../core';

/** A job kind for people. */
export function kindLabel(kind: JobKind, trans: TranslationBundle): string {
  const labels: Record<JobKind, string> = {
    upload: trans.__('Upload'),
    'computer-upload': trans.__('Upload from computer'),
    download: trans.__('Download'),
    copy: trans.__('Copy'),
    move: trans.__('Move'),
    delete: trans.__('Delete'),
    sync: trans.__('Sync'),
    offload: trans.__('Move to EOS'),
    import: trans.__('Import from URL')
  };
  return labels[kind];
}

/** Kinds whose last step per object is a multipart completion in S3. */
const WRITES_TO_EOS = new Set<JobKind>(['upload', 'computer-upload', 'offload', 'copy', 'move', 'import']);

/**
 * What a running job is doing now: the phase the service names (`phase`),
 * else what its counters tell: listing (no total yet), completing (every byte
 * sent, objects still being completed), or the kind's verb.
 *
 * @param bytesDone - the bytes done as the page counts them (a computer
 *   upload's sent bytes), the service's count by default.
 */
export function phaseLabel(job: Job, trans: TranslationBundle, bytesDone = job.bytes.done): string {
  if (job.question) {
    return trans.__('Waiting for your answer');
  }
  if (job.phase === 'verifying') {
    return trans.__('Verifying');
  }
  if (job.objects.total === null) {
    return job.kind === 'delete' ? trans.__('Counting') : trans.__('Listing');
  }
  const total = job.bytes.total;
  if (total !== null && total > 0 && bytesDone >= total && job.objects.done < job.objects.total) {
    return WRITES_TO_EOS.has(job.kind) ? trans.__('Completing') : trans.__('Finishing');
  }
  const verbs: Record<JobKind, string> = {
    upload: trans.__('Uploading'),
    'computer-upload': trans.__('Uploading'),
    download: trans.__('Downloading'),
    copy: trans.__('Copying'),
    move: trans.__('Moving'),
    delete: trans.__('Deleting'),
    sync: trans.__('Syncing'),
    offload: trans.__('Uploading'),
    import: trans.__('Importing')
  };
  return verbs[job.kind];
}

/** A job state for people; a running job says its phase (`phaseLabel`). */
export function stateLabel(job: Job, trans: TranslationBundle, bytesDone = job.bytes.done): string {
  switch (job.state) {
    case 'running':
      return phaseLabel(job, trans, bytesDone);
    case 'done':
      return job.skipped ? trans._n('Done, %1 skipped', 'Done, %1 skipped', job.skipped) : trans.__('Done');
    case 'failed':
      return trans.__('Failed');
    case 'cancelled':
      return trans.__('Cancelled');
    case 'interrupted':
      return trans.__('Interrupted');
  }
}

/** Where a job goes: `a, b (+3) → e://org/x/`. */
export function routeText(job: Job): string {
  const sources =
    job.sources.length <= 2
      ? job.sources.join(', ')
      : `${job.sources.slice(0, 2).join(', ')} (+${job.sources.length - 2})`;
  return job.destination ? `${sources} → ${job.destination}` : sources;
}

/** Why a file was not verified, for people. */
function reasonLabel(reason: UnverifiedReason, trans: TranslationBundle): string {
  const labels: Record<UnverifiedReason, string> = {
    'no-checksum': trans.__('no stored checksum'),
    composite: trans.__('only a checksum of its parts is stored'),
    algorithm: trans.__('its checksum is of another algorithm'),
    off: trans.__('verification is turned off')
  };
  return labels[reason];
}

/**
 * How a job's files were checked: `verified (crc64nvme)` when every file
 * was, `not verified: no stored checksum` when none was for one reason, else
 * how many were and which were not, and why; null before any file was written.
 */
export function integrityLabel(job: Job, trans: TranslationBundle): string | null {
  const summary = summarizeIntegrity(job);
  if (summary === null) {
    return null;
  }
  if (summary.kind === 'all') {
    return trans.__('verified (%1)', summary.name);
  }
  if (summary.kind === 'none') {
    return trans.__('not verified: %1', reasonLabel(summary.reason, trans));
  }
  const parts = [
    ...summary.verified.map(([name, n]) => trans._n('%1 verified (%2)', '%1 verified (%2)', n, name)),
    ...summary.unverified.map(([reason, n]) =>
      trans._n('%1 not verified: %2', '%1 not verified: %2', n, reasonLabel(reason, trans))
    )
  ];
  return parts.join(' · ');
}
