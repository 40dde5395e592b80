/**
 * What S3 is told about an object written from a file: its content type,
 * from the file name, and its modification time, kept in user metadata
 * (and read back from an object's).
 */
import { GENOMICS_TYPES, lastSegment } from '../../../core';

/** The user-metadata name (`x-amz-meta-mtime`) holding a file's modification time. */
export const MTIME_METADATA = 'mtime';

/** Content types by lower-case extension: the genomics types of core's table, then their indexes and others. */
const TYPES: Record<string, string> = {
  ...Object.fromEntries(GENOMICS_TYPES.flatMap(t => t.extensions.map(ext => [ext, t.mimeType]))),
  bai: 'application/octet-stream',
  crai: 'application/octet-stream',
  csi: 'application/octet-stream',
  tbi: 'application/octet-stream',
  fai: 'text/plain',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  py: 'text/x-python',
  r: 'text/plain',
  sh: 'text/x-shellscript',
  json: 'application/json',
  ipynb: 'application/x-ipynb+json',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  bgz: 'application/gzip',
  tgz: 'application/gzip',
  bz2: 'application/x-bzip2',
  xz: 'application/x-xz',
  zst: 'application/zstd',
  tar: 'application/x-tar',
  parquet: 'application/vnd.apache.parquet',
  h5: 'application/x-hdf5',
  hdf5: 'application/x-hdf5',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff'
};

/** The content type for a file or key name (its last segment's extension); `application/octet-stream` when unknown. */
export function contentTypeOf(name: string): string {
  const last = lastSegment(name);
  const dot = last.lastIndexOf('.');
  if (dot <= 0) {
    return 'application/octet-stream';
  }
  return TYPES[last.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A modification time as user metadata: Unix seconds with milliseconds
 * (`1700000000.123`), the form other S3 tools (rclone, s3fs) read.
 */
export function formatMtime(modified: Date | string): string {
  const ms = new Date(modified).getTime();
  return (ms / 1000).toFixed(3);
}

/** The modification time of user metadata written by `formatMtime` (or whole seconds); undefined if absent or invalid. */
export function parseMtime(value: string | undefined): Date | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) {
    return undefined;
  }
  return new Date(Math.round(Number(value) * 1000));
}

/** An object's modification time: its `mtime` metadata (seconds), else LastModified. */
export function objectModified(metadata: Record<string, string> | undefined, lastModified?: Date): Date | undefined {
  return parseMtime(metadata?.[MTIME_METADATA]) ?? lastModified;
}
