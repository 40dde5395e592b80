/**
 * `mkdir`: a zero-byte folder marker `folder/`, never over anything.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Entry, EosError, formatEosUri } from '../../../core';
import { folderEntry } from '../s3/entries';
import { isConditionalConflict, isPreconditionFailed } from '../s3/errors';
import { refusedOnRetry } from '../s3/lostanswer';
import { EosStore, objectExists } from '../s3/store';
import { placeOf, refuseChange } from '../s3/places';

/**
 * Create a folder. Read-only places and roots are refused before any S3 call;
 * an object with the folder's name, or a folder already there, is a `Conflict`.
 * The marker is written with `If-None-Match: *`, so a race is a `Conflict` too,
 * unless the refusal came to a retry and the marker is there: the attempt
 * whose answer was lost wrote it.
 */
export async function mkdir(store: EosStore, uri: string, signal?: AbortSignal): Promise<Entry> {
  const located = store.locate(uri);
  refuseChange(located, store, 'create a folder at');
  const path = located.key.endsWith('/') ? located : { ...located, key: `${located.key}/` };
  const folder = placeOf(path, store);
  const objectKey = folder.key.slice(0, -1);
  const objectUri = formatEosUri({ ...path, key: path.key.slice(0, -1) });
  if (await objectExists(store, folder.bucket, objectKey, objectUri, signal)) {
    throw new EosError('Conflict', `${objectUri} already exists as a file`);
  }
  if (await store.hasKeysUnder(folder.bucket, folder.key, folder.uri, signal)) {
    throw new EosError('Conflict', `${folder.uri} already exists`);
  }
  try {
    await store.s3(
      { bucket: folder.bucket, uri: folder.uri },
      abortSignal =>
        store.client.send(
          new PutObjectCommand({
            Bucket: folder.bucket,
            Key: folder.key,
            Body: new Uint8Array(0),
            ContentLength: 0,
            IfNoneMatch: '*'
          }),
          { abortSignal }
        ),
      { signal }
    );
  } catch (err) {
    // Refused on a retry: the marker may be the one an attempt whose answer was lost wrote.
    if (refusedOnRetry(err) && (await objectExists(store, folder.bucket, folder.key, folder.uri, signal))) {
      return folderEntry(path, store.ctx);
    }
    if (isPreconditionFailed(err) || isConditionalConflict(err)) {
      throw new EosError('Conflict', `${folder.uri} already exists`, (err as EosError).details);
    }
    throw err;
  }
  return folderEntry(path, store.ctx);
}
