/**
 * EOS on S3: list one level, stat, and the plumbing every S3 call shares.
 *
 * Only keys under a namespace's `files/` prefix are ever shown: listings are
 * confined to those prefixes, and `e://users/` shows only user-id folders.
 */
import { HeadObjectCommand, HeadObjectCommandOutput, ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import {
  Entry,
  EosContext,
  EosError,
  EosPath,
  ListResponse,
  ME,
  StatResponse,
  USERS_PREFIX,
  WhoAmIResponse,
  accessOf,
  compareKeys,
  formatEosUri,
  isFolder,
  isUserId,
  parseAnyLocation,
  toS3
} from '../../../core';
import { folderEntry, namespaceInfo, namespaceRoots, objectEntry, staticPage } from './entries';
import { KeyRange, WalkedObject, listPage, walkedObject } from './listing';
import { CallOptions, Where, callS3 } from './call';
import { Wire, clientWire } from './wire';
import { Changes, watchWrites } from './changes';
import { S3Locations } from './locations';
import { clientSettings, createS3Client } from './client';

/** List options. */
export interface ListOptions {
  /** The `next` of the previous page. */
  cursor?: string;
  /** Entries per page, 1..1000. */
  limit: number;
  /** Only names starting with this (no '/'). */
  prefix?: string;
  /** Aborted when the client has gone away. */
  signal?: AbortSignal;
}

/** The user's view of EOS through one S3 client. */
export class EosStore {
  /** The folders this store's writes and deletes touched (every write command its client sends). */
  readonly changes: Changes;
  /** The S3 locations outside EOS it may read (added in the panel, named on the command line). */
  readonly locations: S3Locations;
  private anonymous: S3Client | null = null;

  /**
   * @param client the S3 client (credentials from its provider)
   * @param ctx who the user is and which buckets hold EOS
   * @param endpoint a label of where S3 requests go, for error messages
   */
  constructor(
    readonly client: S3Client,
    readonly ctx: EosContext,
    readonly endpoint: string,
    private readonly unsignedClient: () => S3Client = () => unsignedLike(client)
  ) {
    this.changes = new Changes(ctx);
    this.locations = new S3Locations(ctx);
    watchWrites(client, (bucket, keys, removed) => this.changes.keys(bucket, keys, removed));
  }

  /**
   * Parse an `e://` or `s3://` URI into a canonical path; an `s3://` URI
   * outside EOS must be in an added location.
   *
   * @throws EosError `InvalidUri`; `AccessDenied` outside EOS and the added locations
   */
  locate(uri: string): EosPath {
    const path = parseAnyLocation(uri, this.ctx);
    this.locations.check(path);
    return path;
  }

  /**
   * The client that reads `key` of `bucket`: an unsigned one in a location
   * added without signing, else the store's own. (Writes always use
   * `client`: they go only to EOS.)
   */
  reader(bucket: string, key: string): S3Client {
    if (!this.locations.unsigned(bucket, key)) {
      return this.client;
    }
    this.anonymous ??= this.unsignedClient();
    return this.anonymous;
  }

  /** The data path (wire.ts) of `reader(bucket, key)`. */
  wire(bucket: string, key: string): Wire {
    return clientWire(this.reader(bucket, key));
  }

  /** Stop the connections of the unsigned client, if one was made. */
  destroy(): void {
    this.anonymous?.destroy();
  }

  /**
   * Run one S3 call with a deadline, mapping its failure to an `EosError`.
   * `call` receives the abort signal to pass to `client.send`: the deadline
   * combined with the caller's own signal.
   *
   * @throws EosError; the caller's own abort reason when its signal fired
   */
  s3<T>(where: Where, call: (abortSignal: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return callS3(this.endpoint, where, call, options);
  }

  /**
   * Every object under `prefix` (the whole subtree, no delimiter), streamed
   * page by page: memory stays at two pages however many keys there are.
   */
  walk(bucket: string, prefix: string, uri: string, signal?: AbortSignal): AsyncGenerator<WalkedObject> {
    return this.walkRange(bucket, prefix, uri, {}, signal);
  }

  /**
   * The objects under `prefix` whose keys lie in `range`, in S3's order, as
   * `walk` streams them. `range.through` may be set (or lowered) while the
   * walk runs: the walk stops at the first key beyond it.
   */
  async *walkRange(
    bucket: string,
    prefix: string,
    uri: string,
    range: KeyRange,
    signal?: AbortSignal
  ): AsyncGenerator<WalkedObject> {
    const beyond = (key: string) => range.through !== undefined && compareKeys(key, range.through) > 0;
    const fetch = (token?: string): Promise<ListObjectsV2CommandOutput> => {
      const input = {
        Bucket: bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : { StartAfter: range.after })
      };
      return this.s3({ bucket, uri }, s => listPage(this.reader(bucket, prefix), input, s), { signal });
    };
    let next: Promise<ListObjectsV2CommandOutput> | undefined = fetch();
    while (next !== undefined) {
      const page: ListObjectsV2CommandOutput = await next;
      const contents = page.Contents ?? [];
      const last = contents.length > 0 ? contents[contents.length - 1].Key! : undefined;
      // No next page once this one reached the range's end: nothing after its last key is in range.
      const reached = last !== undefined && range.through !== undefined && compareKeys(last, range.through) >= 0;
      const token = page.IsTruncated && !reached ? page.NextContinuationToken : undefined;
      // The next page is asked for while this one's objects are used (two pages in memory at most).
      next = token ? fetch(token) : undefined;
      next?.catch(() => undefined); // thrown when awaited; unhandled if the caller stops first
      for (const o of contents) {
        if (beyond(o.Key!)) {
          return;
        }
        // A server that ignores StartAfter answers from the first key: those before the range are not its.
        if (range.after !== undefined && compareKeys(o.Key!, range.after) <= 0) {
          continue;
        }
        yield walkedObject(o);
      }
    }
  }

  /** Who the user is, their buckets and namespaces. */
  whoami(version: string): WhoAmIResponse {
    const { userId, orgId, orgBucket, gencoveBucket } = this.ctx;
    const home = formatEosUri({ namespace: 'users', user: ME, key: '' });
    return { userId, orgId, orgBucket, gencoveBucket, home, namespaces: namespaceInfo(this.ctx), version };
  }

  /**
   * One page of a folder: its folders, then its objects. A URI without a
   * trailing slash is listed as the folder it names.
   *
   * @throws EosError `NotFound` for a folder that does not exist (namespace
   *   roots and the user's own space list empty instead); `InvalidRequest`
   *   for an object's URI.
   */
  async list(uri: string, options: ListOptions): Promise<ListResponse> {
    const path = this.locate(uri);
    if (options.prefix?.includes('/')) {
      throw new EosError('InvalidRequest', `Invalid 'prefix': a name prefix may not contain '/'`);
    }
    if (path.namespace === null) {
      const prefix = options.prefix ?? '';
      const roots = namespaceRoots()
        .map(p => folderEntry(p, this.ctx))
        .filter(e => e.name.startsWith(prefix));
      return {
        uri: formatEosUri(path),
        access: accessOf(path, this.ctx),
        ...staticPage(roots, options.cursor, options.limit)
      };
    }
    if (path.namespace === 'users' && path.user === null) {
      return this.listUsers(path, options);
    }
    if (isFolder(path)) {
      return this.listFolder(path, options);
    }
    try {
      return await this.listFolder({ ...path, key: `${path.key}/` }, options);
    } catch (err) {
      // `list e://org/a.txt`: say what it is rather than "e://org/a.txt/ does not exist".
      if (err instanceof EosError && err.code === 'NotFound') {
        const entry = await this.stat(uri, options.signal).catch(() => null);
        if (entry?.kind === 'object') {
          throw new EosError('InvalidRequest', `${entry.uri} is an object, not a folder`);
        }
      }
      throw err;
    }
  }

  /** A page of one level under `prefix` (a folder's `files/`-confined key prefix). */
  private async listLevel(
    bucket: string,
    prefix: string,
    uri: string,
    options: ListOptions
  ): Promise<ListObjectsV2CommandOutput> {
    const input = {
      Bucket: bucket,
      Prefix: prefix + (options.prefix ?? ''),
      Delimiter: '/',
      MaxKeys: options.limit,
      ContinuationToken: options.cursor
    };
    try {
      return await this.s3({ bucket, uri }, abortSignal => listPage(this.reader(bucket, prefix), input, abortSignal), {
        signal: options.signal
      });
    } catch (err) {
      // S3 answers a token it did not issue for this listing with InvalidArgument.
      if (options.cursor !== undefined && err instanceof EosError && err.details?.startsWith('InvalidArgument')) {
        throw new EosError(
          'InvalidRequest',
          `Invalid 'cursor': S3 did not accept it for ${uri}; list again from the start`,
          err.details
        );
      }
      throw err;
    }
  }

  private async listFolder(folder: EosPath, options: ListOptions): Promise<ListResponse> {
    const uri = formatEosUri(folder);
    const { bucket, key: prefix } = toS3(folder, this.ctx);
    const page = await this.listLevel(bucket, prefix, uri, options);
    const entries: Entry[] = [];
    for (const p of page.CommonPrefixes ?? []) {
      const rel = p.Prefix!.slice(prefix.length);
      entries.push(folderEntry({ ...folder, key: folder.key + rel }, this.ctx));
    }
    let marker = false;
    for (const o of page.Contents ?? []) {
      const rel = o.Key!.slice(prefix.length);
      if (rel === '') {
        marker = true; // the folder's own marker object
        continue;
      }
      entries.push(
        objectEntry({ ...folder, key: folder.key + rel }, this.ctx, {
          size: o.Size,
          modified: o.LastModified,
          storageClass: o.StorageClass
        })
      );
    }
    const next = page.IsTruncated ? (page.NextContinuationToken ?? null) : null;
    if (
      options.cursor === undefined &&
      entries.length === 0 &&
      !marker &&
      next === null &&
      !this.alwaysExists(folder)
    ) {
      // With a name prefix an empty page may still be an existing folder.
      if (!options.prefix || !(await this.hasKeysUnder(bucket, prefix, uri, options.signal))) {
        throw new EosError('NotFound', `${uri} does not exist`);
      }
    }
    return { uri, access: accessOf(folder, this.ctx), entries, next };
  }

  /** Namespace roots, the user's own space and the added S3 locations exist even when empty. */
  private alwaysExists(folder: EosPath): boolean {
    if (folder.namespace === 's3') {
      return this.locations.find(folder.bucket!, folder.key)?.prefix === folder.key;
    }
    return folder.key === '' && (folder.namespace !== 'users' || folder.user === ME);
  }

  /** `e://users/`: the user-id folders of the org bucket (other names are not EOS). */
  private async listUsers(path: EosPath, options: ListOptions): Promise<ListResponse> {
    const uri = formatEosUri(path);
    const bucket = this.ctx.orgBucket;
    const page = await this.listLevel(bucket, USERS_PREFIX, uri, options);
    const entries: Entry[] = [];
    for (const p of page.CommonPrefixes ?? []) {
      const id = p.Prefix!.slice(USERS_PREFIX.length, -1);
      // Own id is shown as `me`: the name prefix applies to the name shown.
      if (isUserId(id) && (id === this.ctx.userId ? ME : id).startsWith(options.prefix ?? '')) {
        const user = id === this.ctx.userId ? ME : id;
        entries.push(folderEntry({ namespace: 'users', user, key: '' }, this.ctx));
      }
    }
    const next = page.IsTruncated ? (page.NextContinuationToken ?? null) : null;
    return { uri, access: accessOf(path, this.ctx), entries, next };
  }

  /**
   * An object's or folder's facts. A key without a trailing slash that is no
   * object but has children is answered as that folder.
   *
   * @throws EosError `NotFound` when nothing is there.
   */
  async stat(uri: string, signal?: AbortSignal): Promise<StatResponse> {
    const path = this.locate(uri);
    if (path.key === '') {
      return folderEntry(path, this.ctx);
    }
    const { bucket, key } = toS3(path, this.ctx);
    const canonicalUri = formatEosUri(path);
    if (isFolder(path)) {
      if (await this.hasKeysUnder(bucket, key, canonicalUri, signal)) {
        return folderEntry(path, this.ctx);
      }
      throw new EosError('NotFound', `${canonicalUri} does not exist`);
    }
    try {
      const head = await this.s3(
        { bucket, uri: canonicalUri },
        abortSignal =>
          this.reader(bucket, key).send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
        { signal }
      );
      return objectEntry(path, this.ctx, {
        size: head.ContentLength,
        modified: head.LastModified,
        storageClass: head.StorageClass,
        etag: head.ETag,
        contentType: head.ContentType,
        contentEncoding: head.ContentEncoding,
        cacheControl: head.CacheControl,
        metadata: head.Metadata,
        restore: head.Restore,
        versionId: head.VersionId
      });
    } catch (err) {
      if (!(err instanceof EosError && err.code === 'NotFound')) {
        throw err;
      }
      const folder: EosPath = { ...path, key: `${path.key}/` };
      if (await this.hasKeysUnder(bucket, `${key}/`, formatEosUri(folder), signal)) {
        return folderEntry(folder, this.ctx);
      }
      throw err;
    }
  }

  /** Whether any key starts with `prefix` (a folder marker or anything inside). */
  async hasKeysUnder(bucket: string, prefix: string, uri: string, signal?: AbortSignal): Promise<boolean> {
    const page = await this.s3(
      { bucket, uri },
      abortSignal => listPage(this.reader(bucket, prefix), { Bucket: bucket, Prefix: prefix, MaxKeys: 1 }, abortSignal),
      { signal }
    );
    return (page.Contents?.length ?? 0) > 0;
  }
}

/** HeadObject, or null when no object is at the key; `checksums`: with the object's stored checksum (`ChecksumMode: ENABLED`). */
export async function headObject(
  store: EosStore,
  bucket: string,
  key: string,
  uri: string,
  signal?: AbortSignal,
  checksums = false
): Promise<HeadObjectCommandOutput | null> {
  try {
    return await store.s3(
      { bucket, uri },
      abortSignal =>
        store
          .reader(bucket, key)
          .send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: checksums ? 'ENABLED' : undefined }), {
            abortSignal
          }),
      { signal }
    );
  } catch (err) {
    if (err instanceof EosError && err.code === 'NotFound') {
      return null;
    }
    throw err;
  }
}

/** Whether an object is at `key`. */
export async function objectExists(
  store: EosStore,
  bucket: string,
  key: string,
  uri: string,
  signal?: AbortSignal
): Promise<boolean> {
  return (await headObject(store, bucket, key, uri, signal)) !== null;
}

/**
 * An unsigned client for the endpoint and region of `client`.
 *
 * @throws EosError `Internal` for a client not made by `createS3Client` (tests pass their own factory)
 */
function unsignedLike(client: S3Client): S3Client {
  const settings = clientSettings(client);
  if (settings === undefined) {
    throw new EosError('Internal', 'No unsigned S3 client for this store');
  }
  return createS3Client(settings, { unsigned: true });
}
