/**
 * Whether a save would change an EOS object: a digest of what the user can
 * change in a document, so the drive writes nothing when only JupyterLab's
 * bookkeeping differs from what was read. Pure: no DOM, no requests.
 *
 * Opening a notebook marks it dirty without any edit (the kernel's metadata,
 * cell ids, nbformat 4.5, source lines joined); autosave would then rewrite a
 * shared object and colleagues would get "File Changed" dialogs. For a
 * notebook the digest covers the cells (type, source, outputs, execution
 * count, attachments, metadata) and the notebook's metadata, not the cell ids,
 * the nbformat version or the kernel's metadata (`kernelspec`,
 * `language_info`: whoever opened the notebook last, not an edit). For any
 * other file it covers the exact text (or base64 bytes) saved.
 */

/** A digest of a document's content: equal digests, same document. */
export type ContentDigest = string;

/** What the user can change in one cell. */
function cellForm(cell: Record<string, unknown>): Record<string, unknown> {
  const metadata = { ...((cell.metadata as Record<string, unknown> | undefined) ?? {}) };
  // JupyterLab 3 wrote `trusted` into cell metadata: a viewer's state, not the document's.
  delete metadata.trusted;
  const form: Record<string, unknown> = {
    cell_type: cell.cell_type,
    source: joinLines(cell.source),
    metadata
  };
  if (cell.cell_type === 'code') {
    form.execution_count = cell.execution_count ?? null;
    form.outputs = Array.isArray(cell.outputs) ? cell.outputs.map(outputForm) : [];
  } else if (cell.attachments !== undefined && Object.keys(cell.attachments as object).length > 0) {
    form.attachments = cell.attachments;
  }
  return form;
}

/** One output with its multiline strings joined (nbformat allows a string or a list of lines). */
function outputForm(output: Record<string, unknown>): Record<string, unknown> {
  const form: Record<string, unknown> = { ...output };
  if ('text' in form) {
    form.text = joinLines(form.text);
  }
  if (form.data && typeof form.data === 'object') {
    const data: Record<string, unknown> = {};
    for (const [mime, value] of Object.entries(form.data as Record<string, unknown>)) {
      data[mime] = /json$/.test(mime) ? value : joinLines(value);
    }
    form.data = data;
  }
  return form;
}

/** A multiline string as one string. */
function joinLines(value: unknown): unknown {
  return Array.isArray(value) && value.every(v => typeof v === 'string') ? value.join('') : (value ?? '');
}

/** JSON with object keys sorted: the same value always gives the same text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  );
}

/** What the user can change in a notebook (nbformat 4 JSON), as one string. */
export function notebookForm(notebook: unknown): string {
  if (!notebook || typeof notebook !== 'object' || !Array.isArray((notebook as { cells?: unknown }).cells)) {
    return stableJson(notebook ?? null);
  }
  const nb = notebook as { cells: Record<string, unknown>[]; metadata?: Record<string, unknown> };
  const metadata = { ...(nb.metadata ?? {}) };
  delete metadata.kernelspec;
  delete metadata.language_info;
  return stableJson({ cells: nb.cells.map(cellForm), metadata });
}

/** Two 53-bit hashes of a string (cyrb53 with two seeds), and its length. */
function digestOf(text: string): ContentDigest {
  const hash = (seed: number): number => {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  };
  return `${text.length}:${hash(1).toString(36)}:${hash(2).toString(36)}`;
}

/**
 * The digest of a document's content as the contents API carries it: a
 * notebook's JSON (`notebook` true), else the text or base64 string. A
 * digest, not the content, is kept per open document: a 50 MB file costs a
 * few bytes to remember.
 */
export function contentDigest(content: unknown, notebook: boolean): ContentDigest {
  return digestOf(notebook ? notebookForm(content) : typeof content === 'string' ? content : stableJson(content));
}
