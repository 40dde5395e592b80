/**
 * ListObjectsV2 with keys S3 cannot put in XML verbatim.
 *
 * `@aws-sdk/client-s3` v3 does not ask for `EncodingType=url` (botocore
 * does). Without it a key holding a carriage return comes back as a line
 * feed, and on AWS a key with another control character makes the whole
 * response unparseable. So every listing asks for URL encoding and decodes
 * `Key`, `Prefix`, `CommonPrefixes[].Prefix`, `StartAfter` and `Delimiter`.
 *
 * AWS encodes form-style (a space is `+`, a `+` is `%2B`); moto uses
 * `urllib.parse.quote` (a space is `%20`, a `+` is `%2B`). Either way a
 * literal `+` in the answer can only be an encoded space, so turning `+`
 * into a space before percent-decoding is right for both.
 *
 * The page itself is read by `listxml.ts` (saxes), not the SDK's deserializer.
 */
import { ListObjectsV2CommandInput, ListObjectsV2CommandOutput, S3Client, _Object } from '@aws-sdk/client-s3';
import { sendListObjectsV2 } from './listxml';

/** Decode one URL-encoded name from a listing (`+` is a space). */
export function decodeListName(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

function decodeOptional(text: string | undefined, encoded: boolean): string | undefined {
  return text === undefined || !encoded ? text : decodeListName(text);
}

/**
 * One ListObjectsV2 page, asked for URL-encoded and answered decoded.
 * An answer without `EncodingType: url` (a server that ignores the request)
 * is taken verbatim.
 */
export async function listPage(
  client: S3Client,
  input: Omit<ListObjectsV2CommandInput, 'EncodingType'>,
  abortSignal: AbortSignal
): Promise<ListObjectsV2CommandOutput> {
  const page = await sendListObjectsV2(client, { ...input, EncodingType: 'url' }, abortSignal);
  const encoded = page.EncodingType === 'url';
  if (!encoded) {
    return page;
  }
  return {
    ...page,
    Prefix: decodeOptional(page.Prefix, encoded),
    Delimiter: decodeOptional(page.Delimiter, encoded),
    StartAfter: decodeOptional(page.StartAfter, encoded),
    Contents: page.Contents?.map(o => ({ ...o, Key: decodeOptional(o.Key, encoded) })),
    CommonPrefixes: page.CommonPrefixes?.map(p => ({ ...p, Prefix: decodeOptional(p.Prefix, encoded) }))
  };
}

/** An object met by a recursive walk. */
export interface WalkedObject {
  key: string;
  size: number;
  etag?: string;
  modified?: Date;
  storageClass?: string;
}

/** Keys after `after` (all when unset) through `through` (to the end when unset), in S3's order. */
export interface KeyRange {
  after?: string;
  through?: string;
}

/** The facts a walk keeps of a listed object. */
export function walkedObject(o: _Object): WalkedObject {
  return { key: o.Key!, size: o.Size ?? 0, etag: o.ETag, modified: o.LastModified, storageClass: o.StorageClass };
}
