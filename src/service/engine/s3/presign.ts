/**
 * Presigned GET URLs, with the expiry they really have.
 *
 * SigV4 allows at most 7 days, and a URL signed with temporary credentials
 * stops working when they expire: the answer says which limit applied.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  DEFAULT_PRESIGN_SECONDS,
  EosError,
  ExpiryLimit,
  MAX_PRESIGN_SECONDS,
  PresignResponse,
  basename,
  toS3
} from '../../../core';
import { EosStore } from './store';

/** Credentials closer than this to their expiry are not used to sign. */
export const MIN_CREDENTIAL_SECONDS = 60;

/** How long a URL will live and why. */
export interface ExpiryPlan {
  seconds: number;
  limitedBy: ExpiryLimit;
}

/**
 * The lifetime of a URL signed at `now` (ms) for `requested` seconds with
 * credentials that expire at `credentialsExpire` (undefined: they do not).
 *
 * @throws EosError `NoCredentials` when the credentials expire within a minute.
 */
export function planExpiry(requested: number, credentialsExpire: Date | undefined, now: number): ExpiryPlan {
  let plan: ExpiryPlan = { seconds: requested, limitedBy: 'request' };
  if (plan.seconds > MAX_PRESIGN_SECONDS) {
    plan = { seconds: MAX_PRESIGN_SECONDS, limitedBy: 'maximum' };
  }
  if (credentialsExpire !== undefined) {
    const left = Math.floor((credentialsExpire.getTime() - now) / 1000);
    if (left < MIN_CREDENTIAL_SECONDS) {
      throw new EosError(
        'NoCredentials',
        `The AWS credentials expire in ${Math.max(left, 0)} s, too soon to sign a URL that works; ` +
          'try again in a minute, once they have been refreshed'
      );
    }
    if (left < plan.seconds) {
      plan = { seconds: left, limitedBy: 'credentials' };
    }
  }
  return plan;
}

/**
 * A presigned GET URL for an object.
 *
 * @param expiresIn requested lifetime in seconds (default 48 h)
 * @param download sign for a download to the user's computer: S3 answers the
 *   URL with `Content-Disposition: attachment` and the object's name
 * @throws EosError `NotFound` for a missing object, `InvalidRequest` for a folder,
 *   `NoCredentials` when there are no (or nearly expired) credentials.
 */
export async function presign(
  store: EosStore,
  uri: string,
  expiresIn: number = DEFAULT_PRESIGN_SECONDS,
  download = false
): Promise<PresignResponse> {
  const entry = await store.stat(uri);
  if (entry.kind === 'folder') {
    throw new EosError('InvalidRequest', `Cannot presign a folder: ${entry.uri}`);
  }
  const { bucket, key } = toS3(store.locate(entry.uri), store.ctx);
  if (store.locations.unsigned(bucket, key)) {
    // A URL signed with the service's credentials would be refused where they may not read.
    throw new EosError(
      'InvalidRequest',
      `${entry.uri} is in an S3 location read without signing: it has no presigned URL (copy it into EOS first)`
    );
  }
  const where = { bucket, uri: entry.uri };
  // Neither call below takes the abort signal: signing is local, and fetching
  // credentials (instance metadata, SSO, ...) is bounded by the SDK's own
  // provider timeouts. store.s3 still maps their failures.
  const credentials = await store.s3(where, () => store.client.config.credentials());
  // SigV4 dates have one-second resolution: sign at a whole second so that
  // expiresAt is exact.
  const signedAt = Math.floor(Date.now() / 1000) * 1000;
  const plan = planExpiry(expiresIn, credentials.expiration, signedAt);
  const url = await store.s3(where, () =>
    getSignedUrl(
      store.client,
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: download ? attachmentDisposition(basename(store.locate(entry.uri))) : undefined
      }),
      {
        expiresIn: plan.seconds,
        signingDate: new Date(signedAt)
      }
    )
  );
  return {
    url,
    expiresAt: new Date(signedAt + plan.seconds * 1000).toISOString(),
    expiresIn: plan.seconds,
    limitedBy: plan.limitedBy
  };
}

/**
 * A `Content-Disposition: attachment` header naming the file `name`: an ASCII
 * `filename` (quotes, backslashes, control and non-ASCII characters replaced
 * by `_`) for old clients, and the exact name as RFC 5987 `filename*`.
 */
export function attachmentDisposition(name: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = name.replace(/[\x00-\x1f\x7f"\\]|[^\x20-\x7e]/g, '_') || 'download';
  const exact = encodeURIComponent(name || 'download').replace(
    /['()*]/g,
    ch => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
