/**
 * The Explorer SDK's `File(path_e="...")` snippet of an `e://` URI, as the
 * panel copies it and `eos uri` prints it.
 */

/** A Python string literal (double-quoted) holding `text` exactly. */
export function pythonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') {
      out += `\\${ch}`;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else if (cp === 0x2028 || cp === 0x2029) {
      out += `\\u${cp.toString(16)}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** The `File(path_e="...")` snippet of a shareable URI; `File(path_s3="...")` for an S3 location outside EOS. */
export function pythonSnippet(uri: string): string {
  return uri.startsWith('s3://') ? `File(path_s3=${pythonString(uri)})` : `File(path_e=${pythonString(uri)})`;
}

/**
 * The snippet of several URIs: one `File(...)` alone, or a Python list of
 * them, one a line (Copy Python Snippet and a drop into code give this).
 */
export function pythonSnippets(uris: string[]): string {
  if (uris.length === 1) {
    return pythonSnippet(uris[0]);
  }
  return `[\n${uris.map(uri => `    ${pythonSnippet(uri)},\n`).join('')}]`;
}

/** `text` as one word for a POSIX shell: single-quoted, a quote inside as `'\''`. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
