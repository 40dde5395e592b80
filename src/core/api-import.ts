/**
 * Importing into EOS from elsewhere: files served over http(s).
 */
import type { ConflictPolicy } from './api-jobs';

/** The most URLs one import takes. */
export const MAX_IMPORT_URLS = 100;

/**
 * `POST api/import`: http(s) URLs streamed by the service into an `e://`
 * folder, as one job; nothing is written to the local disk.
 */
export interface ImportRequest {
  urls: string[];
  /** An `e://` folder ending in `/`. */
  destination: string;
  /** The object's name (one URL only); by default the server's `Content-Disposition` name, else the URL's last segment. */
  name?: string;
  /** Default `ask`. */
  conflict?: ConflictPolicy;
}
