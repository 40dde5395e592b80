/**
 * S3 locations outside EOS (issue 17): `s3://bucket/prefix/` folders the user
 * added in the panel or named on the command line, always read-only.
 */
import { EosError } from './errors';
import { S3_SCHEME, formatS3Uri, parseS3Uri } from './uri';
import { EosContext, checkKeyLength, isEosBucket } from './mapping';

/** One S3 location outside EOS. */
export interface S3LocationSpec {
  /** `s3://bucket/prefix/`: a bucket, or a folder in it (ends with '/'). */
  uri: string;
  /** Sign requests with the service's credentials; false: unsigned, for public buckets (`--no-sign-request`). */
  sign: boolean;
}

/** `POST api/locations`: the panel's locations, replacing those the service knew. */
export interface SetLocationsRequest {
  locations: S3LocationSpec[];
}

/** The locations the service reads. */
export interface LocationsResponse {
  locations: S3LocationSpec[];
}

/** The most locations one service keeps. */
export const MAX_LOCATIONS = 100;

/**
 * The canonical form of a location: `s3://bucket/` or `s3://bucket/prefix/`
 * (a missing trailing slash added: a location is a folder).
 *
 * @throws EosError `InvalidUri` for what is not an `s3://` URI, or names an EOS bucket
 */
export function locationUri(text: string, ctx: EosContext | null): string {
  const trimmed = typeof text === 'string' ? text.trim() : text;
  if (typeof trimmed !== 'string' || !trimmed.startsWith(S3_SCHEME)) {
    throw new EosError('InvalidUri', `An S3 location starts with ${S3_SCHEME}: ${JSON.stringify(String(text))}`);
  }
  const loc = parseS3Uri(trimmed);
  if (ctx !== null && isEosBucket(loc.bucket, ctx)) {
    throw new EosError(
      'InvalidUri',
      `s3://${loc.bucket}/ holds EOS: browse it through e://users/me/, e://org/ or e://gencove/`
    );
  }
  const key = loc.key === '' || loc.key.endsWith('/') ? loc.key : `${loc.key}/`;
  // No key under a longer prefix could exist.
  checkKeyLength(key);
  return formatS3Uri({ bucket: loc.bucket, key });
}
