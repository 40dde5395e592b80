/**
 * `e://` and `s3://` URIs: parse, format, validate.
 *
 * An EOS path keeps its key verbatim: S3 keys may hold spaces, `%`, `#`,
 * `?`, `+`, unicode and empty segments (`a//b`), and none of them is
 * escaped or normalised here. A key ending in `/` names a folder.
 */
import { EosError } from './errors';

export const EOS_SCHEME = 'e://';
export const S3_SCHEME = 's3://';
export const ME = 'me';

/** The three EOS namespaces, in the order the CLI lists them. */
export const NAMESPACES = ['users', 'org', 'gencove'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/**
 * The pseudo-namespace of an S3 location outside EOS (`s3://bucket/key` in a
 * bucket that is not an EOS bucket): always read-only, and reachable only
 * where the user added or named it.
 */
export const S3_SPACE = 's3';

/**
 * A parsed `e://` location.
 *
 * - `e://`: `{ namespace: null, user: null, key: '' }`
 * - `e://users/`: `{ namespace: 'users', user: null, key: '' }`
 * - `e://users/me/a/b`: `{ namespace: 'users', user: 'me', key: 'a/b' }`
 * - `e://org/a/`: `{ namespace: 'org', user: null, key: 'a/' }`
 * - `s3://other/a/b` (outside EOS): `{ namespace: 's3', user: null, bucket: 'other', key: 'a/b' }`
 */
export interface EosPath {
  readonly namespace: Namespace | typeof S3_SPACE | null;
  /** `me` or a lower-case user UUID; set only (and always) in a user's space. */
  readonly user: string | null;
  /** The key under the namespace root; '' for the root itself. */
  readonly key: string;
  /** The bucket of an S3 location outside EOS (namespace `s3`); absent in EOS. */
  readonly bucket?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a UUID in its canonical 8-4-4-4-12 form. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * Whether `text` names a user's folder in S3: a UUID in lower case, as EOS
 * writes them (S3 keys are case-sensitive, so `users/<UPPER>/` is another folder).
 */
export function isUserId(text: string): boolean {
  return isUuid(text) && text === text.toLowerCase();
}

function isNamespace(text: string): text is Namespace {
  return (NAMESPACES as readonly string[]).includes(text);
}

/** Reject text that cannot be encoded as UTF-8 (lone surrogates). */
function checkEncodable(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      throw new EosError('InvalidUri', `${what} contains an unpaired surrogate and cannot be encoded`);
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      throw new EosError('InvalidUri', `${what} contains an unpaired surrogate and cannot be encoded`);
    }
    if (c === 0) {
      throw new EosError('InvalidUri', `${what} contains a NUL character`);
    }
  }
}

/** The number of bytes `text` takes in UTF-8. */
export function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * The order S3 lists keys in: by their UTF-8 bytes, which is code point
 * order. JavaScript's `<` compares UTF-16 units instead, and puts a character
 * above U+FFFF (a surrogate pair, 0xD800–0xDFFF) before U+E000–U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}

/** A UTF-16 unit's place in code point order: surrogates above every other unit. */
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;
}

/**
 * Parse an `e://` URI.
 *
 * @throws EosError `InvalidUri` with the CLI's wording for a bad scheme,
 *   namespace or user id.
 */
export function parseEosUri(text: string): EosPath {
  if (typeof text !== 'string' || !text.startsWith(EOS_SCHEME)) {
    throw new EosError('InvalidUri', `Path ${JSON.stringify(String(text))} does not start with ${EOS_SCHEME}`);
  }
  checkEncodable(text, 'The URI');
  const rest = text.slice(EOS_SCHEME.length);
  if (rest === '') {
    return { namespace: null, user: null, key: '' };
  }
  const slash = rest.indexOf('/');
  const ns = slash < 0 ? rest : rest.slice(0, slash);
  const tail = slash < 0 ? '' : rest.slice(slash + 1);
  if (!isNamespace(ns)) {
    throw new EosError('InvalidUri', `Invalid namespace '${ns}'. Valid namespaces are: ${NAMESPACES.join(', ')}`);
  }
  if (ns !== 'users') {
    return { namespace: ns, user: null, key: tail };
  }
  if (tail === '') {
    return { namespace: 'users', user: null, key: '' };
  }
  const uslash = tail.indexOf('/');
  const user = uslash < 0 ? tail : tail.slice(0, uslash);
  const key = uslash < 0 ? '' : tail.slice(uslash + 1);
  if (user === '') {
    throw new EosError('InvalidUri', `A user id (or '${ME}') must be specified`);
  }
  if (user !== ME && !isUuid(user)) {
    throw new EosError('InvalidUri', `User id '${user}' is not a valid UUID (or '${ME}')`);
  }
  return { namespace: 'users', user: user === ME ? ME : user.toLowerCase(), key };
}

/**
 * Format an EOS path as an `e://` URI (an S3 location outside EOS as its
 * `s3://` URI); `parseUri(formatEosUri(p))` equals `p`.
 */
export function formatEosUri(path: EosPath): string {
  if (path.namespace === S3_SPACE) {
    return `${S3_SCHEME}${path.bucket}/${path.key}`;
  }
  if (path.namespace === null) {
    return EOS_SCHEME;
  }
  if (path.namespace === 'users') {
    if (path.user === null) {
      return `${EOS_SCHEME}users/`;
    }
    return `${EOS_SCHEME}users/${path.user}/${path.key}`;
  }
  return `${EOS_SCHEME}${path.namespace}/${path.key}`;
}

/** A bucket and key. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * Parse an `s3://bucket/key` URI; the key is kept verbatim.
 *
 * @throws EosError `InvalidUri` for a bad scheme or bucket name.
 */
export function parseS3Uri(text: string): S3Location {
  if (typeof text !== 'string' || !text.startsWith(S3_SCHEME)) {
    throw new EosError('InvalidUri', `Path ${JSON.stringify(String(text))} does not start with ${S3_SCHEME}`);
  }
  checkEncodable(text, 'The URI');
  const rest = text.slice(S3_SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket) || bucket.includes('..') || IPV4.test(bucket)) {
    throw new EosError('InvalidUri', `'${bucket}' is not a valid S3 bucket name`);
  }
  return { bucket, key };
}

/** The path of an S3 location outside EOS. */
export function externalPath(loc: S3Location): EosPath {
  return { namespace: S3_SPACE, user: null, bucket: loc.bucket, key: loc.key };
}

/** Whether a path is an S3 location outside EOS. */
export function isExternal(path: EosPath): boolean {
  return path.namespace === S3_SPACE;
}

/**
 * Parse a URI as the service formats them: `e://…`, or `s3://…` for a
 * location outside EOS (the service writes EOS locations as `e://`).
 */
export function parseUri(text: string): EosPath {
  if (typeof text === 'string' && text.startsWith(S3_SCHEME)) {
    return externalPath(parseS3Uri(text));
  }
  return parseEosUri(text);
}

/** Format a bucket and key as an `s3://` URI. */
export function formatS3Uri(loc: S3Location): string {
  return `${S3_SCHEME}${loc.bucket}/${loc.key}`;
}

/** Whether the path names a folder (a namespace root, `e://`, or a key ending in `/`). */
export function isFolder(path: EosPath): boolean {
  return path.key === '' || path.key.endsWith('/');
}

/**
 * The last name of a path; a folder's name has no trailing slash. `e://` has
 * the name ''; a namespace root is named after its namespace (or user id).
 */
export function basename(path: EosPath): string {
  if (path.key === '') {
    if (path.namespace === 'users' && path.user !== null) {
      return path.user;
    }
    if (path.namespace === S3_SPACE) {
      return path.bucket ?? '';
    }
    return path.namespace ?? '';
  }
  const key = path.key.endsWith('/') ? path.key.slice(0, -1) : path.key;
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The last segment of a local path or an `e://` URI text, a trailing slash ignored: `a/b.bam` → `b.bam`. */
export function lastSegment(text: string): string {
  const trimmed = text.endsWith('/') ? text.slice(0, -1) : text;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The folder that holds `path`, or null for `e://` and a bucket outside EOS. */
export function parent(path: EosPath): EosPath | null {
  if (path.key === '') {
    if (path.namespace === null || path.namespace === S3_SPACE) {
      return null;
    }
    if (path.namespace === 'users' && path.user !== null) {
      return { namespace: 'users', user: null, key: '' };
    }
    return { namespace: null, user: null, key: '' };
  }
  const key = path.key.endsWith('/') ? path.key.slice(0, -1) : path.key;
  return { ...path, key: key.slice(0, key.lastIndexOf('/') + 1) };
}

/**
 * The child `name` of a folder; `folder` must be a folder inside a namespace.
 * A name may not contain `/` (use several calls for several levels).
 */
export function child(folder: EosPath, name: string, kind: 'folder' | 'object'): EosPath {
  if (!isFolder(folder)) {
    throw new EosError('InvalidUri', `${formatEosUri(folder)} is not a folder`);
  }
  if (name.includes('/')) {
    throw new EosError('InvalidUri', `A name may not contain '/': ${JSON.stringify(name)}`);
  }
  checkEncodable(name, 'The name');
  if (folder.namespace === null) {
    if (!isNamespace(name)) {
      throw new EosError('InvalidUri', `Invalid namespace '${name}'. Valid namespaces are: ${NAMESPACES.join(', ')}`);
    }
    return { namespace: name, user: null, key: '' };
  }
  if (folder.namespace === 'users' && folder.user === null) {
    return parseEosUri(`${EOS_SCHEME}users/${name}/`);
  }
  if (name === '' && kind === 'object') {
    // `a/` + '' would name the folder itself.
    throw new EosError('InvalidUri', 'An object name may not be empty');
  }
  return { ...folder, key: folder.key + name + (kind === 'folder' ? '/' : '') };
}
