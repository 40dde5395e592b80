/**
 * The EOS drive of JupyterLab's document manager: paths `EOS:<drive path>`
 * map one-to-one to `e://` URIs.
 *
 * JupyterLab normalizes drive paths (`PathExt.join`/`normalize` collapse `//`
 * and resolve `.` and `..`), but S3 keys may hold empty, `.` and `..`
 * segments. So each segment is escaped: `%` is written `%25`, a segment that
 * is `.` or `..` is written with `%2E` for each dot, and an empty segment is
 * a lone `%`. Every other character (spaces, `#`, `?`, `:`, unicode) stays as
 * it is, so ordinary names read the same in the tab title as in the tree.
 */
import { EosError } from './errors';
import { EOS_SCHEME } from './uri';

/** The drive's name: its paths are `EOS:org/a/b.tsv`. */
export const DRIVE_NAME = 'EOS';

/** One key segment as it appears in a drive path. */
function encodeSegment(segment: string): string {
  if (segment === '') {
    return '%';
  }
  if (segment === '.' || segment === '..') {
    return segment.replace(/\./g, '%2E');
  }
  return segment.replace(/%/g, '%25');
}

/** One drive path segment back to the key segment; refuses what `encodeSegment` never writes. */
function decodeSegment(segment: string, path: string): string {
  if (segment === '%') {
    return '';
  }
  if (segment === '' || segment === '.' || segment === '..' || /%(?!25|2E)/i.test(segment)) {
    throw new EosError('InvalidUri', `${JSON.stringify(path)} is not a path of the ${DRIVE_NAME} drive`);
  }
  return segment.replace(/%2E/gi, '.').replace(/%25/g, '%');
}

/**
 * The drive path (without `EOS:`) of an `e://` URI; a folder's trailing slash
 * is dropped (JupyterLab's paths have none). `e://` is `''`.
 */
export function drivePathOf(uri: string): string {
  if (!uri.startsWith(EOS_SCHEME)) {
    throw new EosError('InvalidUri', `Path ${JSON.stringify(uri)} does not start with ${EOS_SCHEME}`);
  }
  let rest = uri.slice(EOS_SCHEME.length);
  if (rest === '') {
    return '';
  }
  if (rest.endsWith('/')) {
    rest = rest.slice(0, -1);
  }
  return rest.split('/').map(encodeSegment).join('/');
}

/**
 * The `e://` URI of a drive path (without `EOS:`): an object's URI, or with
 * `folder` a folder's (ending in `/`). A leading slash is ignored.
 *
 * @throws EosError `InvalidUri` for a segment `drivePathOf` never writes
 */
export function uriOfDrivePath(path: string, folder = false): string {
  const rest = path.replace(/^\/+/, '');
  if (rest === '') {
    return EOS_SCHEME;
  }
  const decoded = rest
    .split('/')
    .map(s => decodeSegment(s, path))
    .join('/');
  return `${EOS_SCHEME}${decoded}${folder ? '/' : ''}`;
}
