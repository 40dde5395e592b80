/**
 * The namespace mapping between `e://` paths and S3 locations.
 *
 * | e:// URI               | S3 location                                   |
 * |------------------------|-----------------------------------------------|
 * | `e://users/me/X`       | `s3://<org bucket>/users/<own id>/files/X`    |
 * | `e://users/<uuid>/X`   | `s3://<org bucket>/users/<uuid>/files/X`      |
 * | `e://org/X`            | `s3://<org bucket>/shared/files/X`            |
 * | `e://gencove/X`        | `s3://gencove-explorer-data/files/X`          |
 */
import { EosError } from './errors';
import {
  EosPath,
  ME,
  S3Location,
  formatEosUri,
  formatS3Uri,
  isUserId,
  isUuid,
  parseEosUri,
  parseS3Uri,
  externalPath,
  utf8Length,
  EOS_SCHEME,
  S3_SCHEME
} from './uri';

/** The largest S3 key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

export const GENCOVE_BUCKET = 'gencove-explorer-data';
export const USERS_PREFIX = 'users/';
export const USER_FILES = 'files/';
export const ORG_PREFIX = 'shared/files/';
export const GENCOVE_PREFIX = 'files/';

/** Who the user is and where their organization's data lives. */
export interface EosContext {
  /** The user's own id (a UUID). */
  readonly userId: string;
  /** The organization id (a UUID). */
  readonly orgId: string;
  /** The organization bucket; derived from `orgId` by default. */
  readonly orgBucket: string;
  /** The Gencove-wide bucket; `gencove-explorer-data` by default. */
  readonly gencoveBucket: string;
}

/** The organization bucket: `gencove-explorer-` + the org id without dashes, first 12 characters. */
export function orgBucketName(orgId: string): string {
  return `gencove-explorer-${orgId.replace(/-/g, '').slice(0, 12)}`;
}

/**
 * Build a context, deriving bucket names that are not overridden.
 *
 * @throws EosError `InvalidRequest` when the ids are not UUIDs.
 */
export function makeContext(options: {
  userId: string;
  orgId: string;
  orgBucket?: string;
  gencoveBucket?: string;
}): EosContext {
  const userId = (options.userId ?? '').trim().toLowerCase();
  const orgId = (options.orgId ?? '').trim().toLowerCase();
  if (!isUuid(userId)) {
    throw new EosError('InvalidRequest', `The user id ${JSON.stringify(options.userId)} is not a UUID`);
  }
  if (!isUuid(orgId)) {
    throw new EosError('InvalidRequest', `The organization id ${JSON.stringify(options.orgId)} is not a UUID`);
  }
  return {
    userId,
    orgId,
    orgBucket: options.orgBucket || orgBucketName(orgId),
    gencoveBucket: options.gencoveBucket || GENCOVE_BUCKET
  };
}

/** The S3 key prefix of a user's space: `users/<id>/files/`. */
export function userPrefix(userId: string): string {
  return `${USERS_PREFIX}${userId}/${USER_FILES}`;
}

/** The user id a path's `me` stands for, or the id it names. */
function resolveUser(path: EosPath, ctx: EosContext): string {
  return path.user === ME ? ctx.userId : path.user!;
}

/**
 * The S3 location of an EOS path. `e://users/` maps to the `users/` prefix of
 * the org bucket (whose sub-folders are the user ids).
 *
 * @throws EosError `InvalidUri` for `e://` (no single location) and keys over 1,024 bytes.
 */
export function toS3(path: EosPath, ctx: EosContext): S3Location {
  let loc: S3Location;
  switch (path.namespace) {
    case null:
      throw new EosError('InvalidUri', `${EOS_SCHEME} lists the namespaces and has no S3 location`);
    case 'users':
      loc =
        path.user === null
          ? { bucket: ctx.orgBucket, key: USERS_PREFIX }
          : { bucket: ctx.orgBucket, key: userPrefix(resolveUser(path, ctx)) + path.key };
      break;
    case 'org':
      loc = { bucket: ctx.orgBucket, key: ORG_PREFIX + path.key };
      break;
    case 'gencove':
      loc = { bucket: ctx.gencoveBucket, key: GENCOVE_PREFIX + path.key };
      break;
    case 's3':
      loc = { bucket: path.bucket!, key: path.key };
      break;
  }
  checkKeyLength(loc.key);
  return loc;
}

/** Throw `InvalidUri` for an S3 key over 1,024 UTF-8 bytes. */
export function checkKeyLength(key: string): void {
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new EosError('InvalidUri', `The S3 key would be ${bytes} bytes long; S3 allows at most ${MAX_KEY_BYTES}`);
  }
}

/**
 * The EOS path of an S3 location, with the user's own id written as `me`.
 *
 * @throws EosError `InvalidUri` when the location is outside EOS.
 */
export function fromS3(loc: S3Location, ctx: EosContext): EosPath {
  const outside = () =>
    new EosError(
      'InvalidUri',
      `${formatS3Uri(loc)} is outside EOS: expected s3://${ctx.orgBucket}/users/<id>/files/..., ` +
        `s3://${ctx.orgBucket}/shared/files/... or s3://${ctx.gencoveBucket}/files/...`
    );
  checkKeyLength(loc.key);
  if (!loc.key.endsWith('/') && [ORG_PREFIX, GENCOVE_PREFIX, USER_FILES].some(p => (loc.key + '/').endsWith(p))) {
    // A namespace root written without its trailing slash (`s3://b/shared/files`).
    try {
      const root = fromS3({ ...loc, key: loc.key + '/' }, ctx);
      if (root.key === '') {
        return root;
      }
    } catch {
      // not a root after all: fall through to the usual answer
    }
  }
  if (loc.bucket === ctx.gencoveBucket && loc.key.startsWith(GENCOVE_PREFIX)) {
    return { namespace: 'gencove', user: null, key: loc.key.slice(GENCOVE_PREFIX.length) };
  }
  if (loc.bucket !== ctx.orgBucket) {
    throw outside();
  }
  if (loc.key.startsWith(ORG_PREFIX)) {
    return { namespace: 'org', user: null, key: loc.key.slice(ORG_PREFIX.length) };
  }
  if (loc.key === USERS_PREFIX) {
    return { namespace: 'users', user: null, key: '' };
  }
  if (loc.key.startsWith(USERS_PREFIX)) {
    const rest = loc.key.slice(USERS_PREFIX.length);
    const slash = rest.indexOf('/');
    // S3 keys are case-sensitive: `users/<UPPER-CASE id>/` is not a user's folder.
    const user = slash < 0 ? '' : rest.slice(0, slash);
    const after = slash < 0 ? '' : rest.slice(slash + 1);
    if (isUserId(user) && after.startsWith(USER_FILES)) {
      return {
        namespace: 'users',
        user: user === ctx.userId ? ME : user,
        key: after.slice(USER_FILES.length)
      };
    }
  }
  throw outside();
}

/**
 * Parse an `e://` or `s3://` URI into an EOS path (`me` for the user's own space).
 * Leading whitespace is ignored; the rest, trailing whitespace included, is the key.
 */
export function parseLocation(text: string, ctx: EosContext): EosPath {
  // Only leading blanks are dropped: trailing ones may belong to the key.
  const trimmed = typeof text === 'string' ? text.trimStart() : text;
  if (typeof trimmed === 'string' && trimmed.startsWith(S3_SCHEME)) {
    return fromS3(parseS3Uri(trimmed), ctx);
  }
  return canonical(parseEosUri(trimmed), ctx);
}

/** Whether `bucket` holds EOS (the organization's or Gencove's bucket). */
export function isEosBucket(bucket: string, ctx: EosContext): boolean {
  return bucket === ctx.orgBucket || bucket === ctx.gencoveBucket;
}

/**
 * Like `parseLocation`, but an `s3://` URI in a bucket that is not an EOS
 * bucket is an S3 location outside EOS (namespace `s3`, read-only) instead of
 * an error. Whether such a location may be read is the caller's decision.
 */
export function parseAnyLocation(text: string, ctx: EosContext): EosPath {
  const trimmed = typeof text === 'string' ? text.trimStart() : text;
  if (typeof trimmed === 'string' && trimmed.startsWith(S3_SCHEME)) {
    const loc = parseS3Uri(trimmed);
    if (!isEosBucket(loc.bucket, ctx)) {
      checkKeyLength(loc.key);
      return externalPath(loc);
    }
  }
  return parseLocation(text, ctx);
}

/** The path with the user's own id written as `me`. */
export function canonical(path: EosPath, ctx: EosContext): EosPath {
  return path.namespace === 'users' && path.user === ctx.userId ? { ...path, user: ME } : path;
}

/** The shareable form: `me` replaced by the user id (other paths are already shareable). */
export function shareable(path: EosPath, ctx: EosContext): EosPath {
  return path.namespace === 'users' && path.user === ME ? { ...path, user: ctx.userId } : path;
}

/** The `s3://` URI of an EOS path. */
export function s3Uri(path: EosPath, ctx: EosContext): string {
  return formatS3Uri(toS3(path, ctx));
}

/** The shareable `e://` URI of an EOS path. */
export function shareableUri(path: EosPath, ctx: EosContext): string {
  return formatEosUri(shareable(path, ctx));
}
