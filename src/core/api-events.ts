/**
 * What the service pushes besides jobs on `api/events` (see `EVENTS_ROUTE`),
 * and how a command line run beside it tells it what it wrote.
 */

/**
 * EOS folders whose listing the service's writes changed, as canonical
 * `e://` folder URIs: `written` hold objects (or folders) written, `removed`
 * objects deleted (a folder left empty disappears from its own parent).
 */
export interface FolderChanges {
  written: string[];
  removed: string[];
}

/**
 * The `folders` event of `api/events`: `FolderChanges`, coalesced (at most
 * about once a second). A client lists again the folders it shows.
 */
export const FOLDERS_EVENT = 'folders';

/**
 * The `disk` event of `api/events`: `DiskChangedEvent`, after the service
 * wrote to or deleted from the local disk, and again once it has measured
 * the root afresh. A client asks `api/disk` again.
 */
export const DISK_EVENT = 'disk';

/** The payload of a `disk` event. */
export interface DiskChangedEvent {
  /** When the figures the service now answers were taken (null while a first walk runs). */
  measuredAt: string | null;
}

/**
 * `POST api/changed {written, removed, local?}` (not in the route table: the
 * `eos` command line posts it straight to the service's socket, found in the
 * state dir): folders a command line changed in EOS, reported to the
 * service's clients as its own; `local` = it wrote to or deleted from the
 * Jupyter root given (the service measures its disk again when it is its own).
 */
export const CHANGED_ROUTE = 'api/changed';

/** The body of `POST api/changed`. */
export interface ChangedBody extends FolderChanges {
  /** The Jupyter root whose disk the command line changed. */
  local?: string;
}
