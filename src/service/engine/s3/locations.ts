/**
 * The S3 locations outside EOS the store may read (issue 17): those the user
 * added in the panel (`api/locations`) or named on the command line. A
 * location outside them is refused before any S3 call, so the service talks
 * only to buckets the user configured or named. Each is read with the
 * service's credentials, or unsigned (public buckets, as `aws
 * --no-sign-request`); none is ever written to.
 */
import { EosContext, EosError, EosPath, S3LocationSpec, MAX_LOCATIONS, locationUri, parseS3Uri } from '../../../core';

/** A location, parsed. */
interface Known {
  uri: string;
  bucket: string;
  /** The key prefix ('' for the whole bucket, else ending with '/'). */
  prefix: string;
  sign: boolean;
}

export class S3Locations {
  private known: Known[] = [];

  constructor(private readonly ctx: EosContext) {}

  /** The locations, as added. */
  get all(): S3LocationSpec[] {
    return this.known.map(({ uri, sign }) => ({ uri, sign }));
  }

  /**
   * Add a location (the same URI again replaces its signing choice).
   *
   * @throws EosError `InvalidUri` for a malformed URI or an EOS bucket
   */
  add(spec: S3LocationSpec): string {
    const uri = locationUri(spec.uri, this.ctx);
    const { bucket, key } = parseS3Uri(uri);
    this.known = this.known.filter(k => k.uri !== uri);
    this.known.push({ uri, bucket, prefix: key, sign: spec.sign !== false });
    return uri;
  }

  /**
   * Replace every location (the panel's list from its settings).
   *
   * @throws EosError `InvalidRequest` for too many, `InvalidUri` for a bad one (nothing changed)
   */
  set(specs: S3LocationSpec[]): void {
    if (specs.length > MAX_LOCATIONS) {
      throw new EosError('InvalidRequest', `At most ${MAX_LOCATIONS} S3 locations can be added`);
    }
    const before = this.known;
    this.known = [];
    try {
      specs.forEach(s => this.add(s));
    } catch (err) {
      this.known = before;
      throw err;
    }
  }

  /** The location holding `key` of `bucket` (the longest prefix), if any; a prefix without its slash counts. */
  find(bucket: string, key: string): Known | undefined {
    let best: Known | undefined;
    for (const k of this.known) {
      if (k.bucket === bucket && (key.startsWith(k.prefix) || `${key}/` === k.prefix)) {
        if (best === undefined || k.prefix.length > best.prefix.length) {
          best = k;
        }
      }
    }
    return best;
  }

  /** Whether reads of `key` in `bucket` go unsigned. */
  unsigned(bucket: string, key: string): boolean {
    return this.find(bucket, key)?.sign === false;
  }

  /**
   * Refuse a path outside EOS that no added location holds.
   *
   * @throws EosError `AccessDenied`, before any S3 call
   */
  check(path: EosPath): void {
    if (path.namespace !== 's3' || this.find(path.bucket!, path.key) !== undefined) {
      return;
    }
    throw new EosError(
      'AccessDenied',
      `s3://${path.bucket}/${path.key} is outside EOS and not an added S3 location: add s3://${path.bucket}/ ` +
        '(or a folder holding it) first'
    );
  }
}
