/**
 * The genomics file types both sides know: the names they go by, the
 * content type S3 is told, the icon the panel draws, and how Peek reads
 * them. One table, so the tree, Peek, JupyterLab's document registry and
 * uploads agree.
 */
import { lastSegment } from './uri';

/** How Peek shows a file: a table of reads, records or rows, or plain lines. */
export type PeekKind = 'fastq' | 'vcf' | 'sam' | 'bed' | 'csv' | 'tsv' | 'text';

/** One genomics file type. */
export interface IGenomicsType {
  /** A short id; also the name of its icon (`jupyterlab-eos:<name>`). */
  name: string;
  /** What people call it. */
  displayName: string;
  /** Lower-case extensions without the dot, the usual one first; `.gz`/`.bgz` forms are implied. */
  extensions: readonly string[];
  /** The content type S3 is told for an uncompressed file. */
  mimeType: string;
  /** How Peek shows it. */
  peek: PeekKind;
  /**
   * Binary (BGZF inside, or CRAM): JupyterLab has no viewer, so it opens in
   * Peek whatever its size.
   */
  binary: boolean;
}

/** Compression suffixes that keep the type of what they compress (`.vcf.gz`, `.fa.bgz`). */
export const COMPRESSED_EXTENSIONS: readonly string[] = ['gz', 'bgz'];

const TEXT = 'text/plain';
const BINARY = 'application/octet-stream';

/** The genomics types, by kind of data. */
export const GENOMICS_TYPES: readonly IGenomicsType[] = [
  { name: 'fastq', displayName: 'FASTQ', extensions: ['fastq', 'fq'], mimeType: TEXT, peek: 'fastq', binary: false },
  { name: 'bam', displayName: 'BAM', extensions: ['bam'], mimeType: BINARY, peek: 'text', binary: true },
  { name: 'cram', displayName: 'CRAM', extensions: ['cram'], mimeType: BINARY, peek: 'text', binary: true },
  { name: 'sam', displayName: 'SAM', extensions: ['sam'], mimeType: TEXT, peek: 'sam', binary: false },
  { name: 'vcf', displayName: 'VCF', extensions: ['vcf'], mimeType: TEXT, peek: 'vcf', binary: false },
  { name: 'bcf', displayName: 'BCF', extensions: ['bcf'], mimeType: BINARY, peek: 'text', binary: true },
  { name: 'bed', displayName: 'BED', extensions: ['bed'], mimeType: TEXT, peek: 'bed', binary: false },
  {
    name: 'fasta',
    displayName: 'FASTA',
    extensions: ['fasta', 'fa', 'fna'],
    mimeType: TEXT,
    peek: 'text',
    binary: false
  },
  {
    name: 'gff',
    displayName: 'GFF/GTF',
    extensions: ['gff', 'gff3', 'gtf'],
    mimeType: TEXT,
    peek: 'text',
    binary: false
  }
];

const BY_EXTENSION = new Map(GENOMICS_TYPES.flatMap(t => t.extensions.map(ext => [ext, t] as const)));

/**
 * The extension that says a file's type: the last one, or the one before a
 * `.gz`/`.bgz` (`a.vcf.gz` → `vcf`); '' when the name has none.
 */
export function typeExtension(name: string): string {
  const parts = lastSegment(name).toLowerCase().split('.');
  if (parts.length < 2) {
    return '';
  }
  const last = parts.pop()!;
  return COMPRESSED_EXTENSIONS.includes(last) && parts.length >= 2 ? parts.pop()! : last;
}

/** The genomics type of a file name (compressed or not), or null. */
export function genomicsTypeOf(name: string): IGenomicsType | null {
  return BY_EXTENSION.get(typeExtension(name)) ?? null;
}

/** Every extension of a type with a dot, compressed forms included (`.vcf`, `.vcf.gz`, `.vcf.bgz`). */
export function dottedExtensions(type: IGenomicsType): string[] {
  return type.extensions.flatMap(ext => [`.${ext}`, ...COMPRESSED_EXTENSIONS.map(z => `.${ext}.${z}`)]);
}
