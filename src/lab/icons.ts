/**
 * The extension's icons: the sidebar tab, and file-type icons for the tree
 * (genomics formats drawn here, others JupyterLab's stock icons).
 */
import {
  LabIcon,
  fileIcon,
  folderIcon,
  html5Icon,
  imageIcon,
  jsonIcon,
  markdownIcon,
  notebookIcon,
  pdfIcon,
  pythonIcon,
  spreadsheetIcon,
  textEditorIcon
} from '@jupyterlab/ui-components';

import eosSvg from '../../style/icons/eos.svg';
import { IGenomicsType, genomicsTypeOf, typeExtension } from '../core';

/** The EOS sidebar tab icon. */
export const eosIcon = new LabIcon({ name: 'jupyterlab-eos:eos', svgstr: eosSvg });

/** A page with a coloured band and a short label; colours are theme variables. */
function formatSvg(label: string, color: string): string {
  const size = label.length > 2 ? 5.5 : 7;
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
    '<path class="jp-icon3" style="fill: var(--jp-inverse-layout-color3)" ' +
    'd="M3 1h7l3 3v11H3z" fill-opacity="0.25"/>' +
    `<rect x="1" y="8" width="14" height="7" rx="1" style="fill: var(${color})"/>` +
    `<text x="8" y="13.6" text-anchor="middle" font-family="sans-serif" font-weight="bold" font-size="${size}" ` +
    `style="fill: var(--jp-layout-color0)">${label}</text></svg>`
  );
}

function formatIcon(id: string, label: string, color: string): LabIcon {
  return new LabIcon({ name: `jupyterlab-eos:${id}`, svgstr: formatSvg(label, color) });
}

/** Sequencing reads: FASTQ. */
export const fastqIcon = formatIcon('fastq', 'FQ', '--jp-brand-color1');
/** Alignments: BAM, CRAM, SAM. */
export const bamIcon = formatIcon('bam', 'BAM', '--jp-accent-color1');
export const cramIcon = formatIcon('cram', 'CRM', '--jp-accent-color1');
export const samIcon = formatIcon('sam', 'SAM', '--jp-accent-color1');
/** Variants: VCF, BCF. */
export const vcfIcon = formatIcon('vcf', 'VCF', '--jp-warn-color1');
export const bcfIcon = formatIcon('bcf', 'BCF', '--jp-warn-color1');
/** Intervals and annotations: BED, GFF/GTF. */
export const bedIcon = formatIcon('bed', 'BED', '--jp-success-color1');
export const gffIcon = formatIcon('gff', 'GFF', '--jp-success-color1');
/** Sequences: FASTA. */
export const fastaIcon = formatIcon('fasta', 'FA', '--jp-error-color1');

/** The icon of each genomics type, by the type's name (`GENOMICS_TYPES` in core). */
const GENOMICS_ICONS: Record<string, LabIcon> = {
  fastq: fastqIcon,
  bam: bamIcon,
  cram: cramIcon,
  sam: samIcon,
  vcf: vcfIcon,
  bcf: bcfIcon,
  bed: bedIcon,
  fasta: fastaIcon,
  gff: gffIcon
};

/** The icon drawn for a genomics type. */
export function genomicsIcon(type: IGenomicsType): LabIcon {
  return GENOMICS_ICONS[type.name] ?? fileIcon;
}

/** Icons of the other common types JupyterLab has an icon for. */
const BY_EXTENSION: Record<string, LabIcon> = {
  csv: spreadsheetIcon,
  tsv: spreadsheetIcon,
  txt: textEditorIcon,
  log: textEditorIcon,
  md: markdownIcon,
  json: jsonIcon,
  ipynb: notebookIcon,
  py: pythonIcon,
  html: html5Icon,
  htm: html5Icon,
  png: imageIcon,
  jpg: imageIcon,
  jpeg: imageIcon,
  gif: imageIcon,
  svg: imageIcon,
  webp: imageIcon,
  tif: imageIcon,
  tiff: imageIcon,
  pdf: pdfIcon
};

/** The icon of an item: a folder, or its file type by name (`.gz`/`.bgz` looked through). */
export function iconFor(kind: 'folder' | 'object', name: string): LabIcon {
  if (kind === 'folder') {
    return folderIcon;
  }
  const type = genomicsTypeOf(name);
  return type ? genomicsIcon(type) : (BY_EXTENSION[typeExtension(name)] ?? fileIcon);
}

/** The transfers panel tab: arrows up and down. */
export const transfersIcon = new LabIcon({
  name: 'jupyterlab-eos:transfers',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
    '<path class="jp-icon3" fill="#616161" d="M5 1 1.5 4.5h2.5V11h2V4.5h2.5zM11 15l3.5-3.5H12V5h-2v6.5H7.5z"/></svg>'
});
