/**
 * How Peek shows a file: its kind from the name (a `.gz`/`.bgz` suffix
 * ignored), what to ask `api/head` for, and the lines as a table. Pure: no
 * DOM, no requests.
 */
import { COMPRESSED_EXTENSIONS, HeadQuery, HeadResponse, PeekKind, genomicsTypeOf, typeExtension } from '../../core';

export type { PeekKind };

/** The columns of a SAM alignment line. */
const SAM_COLUMNS = ['QNAME', 'FLAG', 'RNAME', 'POS', 'MAPQ', 'CIGAR', 'RNEXT', 'PNEXT', 'TLEN', 'SEQ', 'QUAL'];
/** The columns of a BED line (BED12). */
const BED_COLUMNS = [
  'chrom',
  'chromStart',
  'chromEnd',
  'name',
  'score',
  'strand',
  'thickStart',
  'thickEnd',
  'itemRgb',
  'blockCount',
  'blockSizes',
  'blockStarts'
];

/**
 * Whether double-click / Enter opens a file of this name in Peek rather than
 * in JupyterLab: what JupyterLab has no viewer for, gzip and BGZF (`.gz`,
 * `.bgz`) and the binary genomics types (BAM and BCF are BGZF inside; CRAM's
 * SAM header is text). They open in Peek whatever their size: Peek reads only
 * the first ranges, so the open size limit does not apply.
 */
export function opensInPeek(name: string): boolean {
  const dot = name.lastIndexOf('.');
  const last = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return COMPRESSED_EXTENSIONS.includes(last) || genomicsTypeOf(name)?.binary === true;
}

/** The kind of a file from its name. */
export function peekKind(name: string): PeekKind {
  const genomics = genomicsTypeOf(name);
  if (genomics) {
    return genomics.peek;
  }
  switch (typeExtension(name)) {
    case 'csv':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    default:
      return 'text';
  }
}

/** The `api/head` query for the first `records` records of a file of `kind`. */
export function peekQuery(uri: string, kind: PeekKind, records: number): HeadQuery {
  switch (kind) {
    case 'fastq':
      return { uri, lines: records * 4 };
    case 'vcf':
      return { uri, lines: records, header: '#' };
    case 'sam':
      return { uri, lines: records, header: '@' };
    case 'csv':
    case 'tsv':
      // The first line is the table's header row.
      return { uri, lines: records + 1 };
    default:
      return { uri, lines: records };
  }
}

/** What Peek shows: header lines to fold away, and a table (or plain lines). */
export interface IPeekView {
  kind: PeekKind;
  /** Lines shown folded (`##` meta lines of a VCF, `@` lines of a SAM). */
  meta: string[];
  /** Column names; empty for plain text. */
  columns: string[];
  /** Table rows, or one cell per line for plain text. */
  rows: string[][];
  /** What one record is called in the summary. */
  unit: 'reads' | 'records' | 'rows' | 'lines';
}

/** Split one CSV line, honouring double quotes (`"a,b"`, `""` for a quote). */
export function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}

/** The table Peek shows for the lines `api/head` answered. */
export function peekView(kind: PeekKind, head: HeadResponse): IPeekView {
  const lines = head.lines;
  switch (kind) {
    case 'fastq': {
      const rows: string[][] = [];
      for (let i = 0; i + 1 < lines.length; i += 4) {
        const seq = lines[i + 1] ?? '';
        rows.push([lines[i].replace(/^@/, ''), String(seq.length), seq, lines[i + 3] ?? '']);
      }
      return { kind, meta: [], columns: ['Read', 'Length', 'Sequence', 'Quality'], rows, unit: 'reads' };
    }
    case 'vcf': {
      const last = head.header[head.header.length - 1];
      const hasColumns = last !== undefined && last.startsWith('#') && !last.startsWith('##');
      const meta = hasColumns ? head.header.slice(0, -1) : head.header;
      const columns = hasColumns ? last.slice(1).split('\t') : [];
      return { kind, meta, columns, rows: lines.map(l => l.split('\t')), unit: 'records' };
    }
    case 'sam':
      return { kind, meta: head.header, columns: SAM_COLUMNS, rows: lines.map(l => l.split('\t')), unit: 'records' };
    case 'bed': {
      const rows = lines.filter(l => !/^(#|track|browser)/.test(l)).map(l => l.split('\t'));
      const width = Math.max(3, ...rows.map(r => r.length));
      return { kind, meta: [], columns: BED_COLUMNS.slice(0, width), rows, unit: 'rows' };
    }
    case 'csv':
    case 'tsv': {
      const split = kind === 'csv' ? splitCsv : (l: string) => l.split('\t');
      const [first, ...rest] = lines;
      return { kind, meta: [], columns: first === undefined ? [] : split(first), rows: rest.map(split), unit: 'rows' };
    }
    default:
      return { kind, meta: [], columns: [], rows: lines.map(l => [l]), unit: 'lines' };
  }
}
