/**
 * What a drag carries: JupyterLab's file browser paths, and EOS URIs from the
 * EOS tree (a mime type of this extension, so that the file browser's own
 * drop handler never acts on it).
 */
import { EOS_SCHEME, S3_SCHEME, parseUri } from '../../core';

/** The mime type of a drag from JupyterLab's file browser: a list of paths relative to the server root. */
export const CONTENTS_MIME = 'application/x-jupyter-icontents';
/** The mime type of a drag from the EOS tree: a JSON list of `e://` URIs. */
export const EOS_URIS_MIME = 'application/x-eos-uris';

/** Whether a file browser path belongs to another drive (`Drive:path`, as JupyterLab's contents manager reads it). */
export function isOtherDrive(path: string): boolean {
  return path.split('/')[0].includes(':');
}

/**
 * The local paths of a file browser drag: strings of the default drive,
 * without a leading slash; paths of other drives and anything else dropped.
 */
export function localPathsOf(data: unknown): string[] {
  const list = typeof data === 'string' ? [data] : Array.isArray(data) ? data : [];
  const paths = list
    .filter((p): p is string => typeof p === 'string' && !isOtherDrive(p))
    .map(p => p.replace(/^\/+/, ''))
    .filter(p => p !== '');
  return [...new Set(paths)];
}

/** The text an EOS drag carries for these URIs. */
export function formatEosUris(uris: readonly string[]): string {
  return JSON.stringify(uris);
}

/**
 * The `e://` URIs of an EOS drag (a JSON list, or the list itself): items, never
 * a namespace root; invalid ones are dropped.
 */
export function eosUrisOf(data: unknown): string[] {
  let list: unknown = data;
  if (typeof data === 'string') {
    try {
      list = JSON.parse(data);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) {
    return [];
  }
  const uris = list.filter((u): u is string => {
    if (typeof u !== 'string' || !(u.startsWith(EOS_SCHEME) || u.startsWith(S3_SCHEME))) {
      return false;
    }
    try {
      return parseUri(u).key !== '';
    } catch {
      return false;
    }
  });
  return [...new Set(uris)];
}

/** Join a file browser folder (`''` is the root) and a name. */
export function joinLocal(folder: string, name: string): string {
  return folder === '' ? name : `${folder.replace(/\/+$/, '')}/${name}`;
}
