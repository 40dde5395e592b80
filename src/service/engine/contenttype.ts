/**
 * Content types of uploaded objects, from the file name.
 */

const TYPES: Record<string, string> = {
  // Genomics: binary formats are plain bytes; text formats are text.
  bam: 'application/octet-stream',
  bai: 'application/octet-stream',
  cram: 'application/octet-stream',
  crai: 'application/octet-stream',
  bcf: 'application/octet-stream',
  csi: 'application/octet-stream',
  tbi: 'application/octet-stream',
  sam: 'text/plain',
  vcf: 'text/x-vcf',
  bed: 'text/plain',
  fa: 'text/plain',
  fasta: 'text/plain',
  fai: 'text/plain',
  fq: 'text/plain',
  fastq: 'text/plain',
  gff: 'text/plain',
  gff3: 'text/plain',
  gtf: 'text/plain',
  // Compressed and common files.
  gz: 'application/gzip',
  bgz: 'application/gzip',
  bz2: 'application/x-bzip2',
  xz: 'application/x-xz',
  zst: 'application/zstd',
  zip: 'application/zip',
  tar: 'application/x-tar',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  ipynb: 'application/x-ipynb+json',
  py: 'text/x-python',
  r: 'text/plain',
  sh: 'text/x-sh',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  html: 'text/html',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
  parquet: 'application/vnd.apache.parquet'
};

/** The content type for a file name (by its last extension), `application/octet-stream` when unknown. */
export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return TYPES[ext] ?? 'application/octet-stream';
}
