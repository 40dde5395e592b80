/**
 * Small HTTP helpers: JSON responses, JSON request bodies, query strings.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { EosError } from '../../core';

/** The largest JSON request body, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Send a small JSON response that no cache keeps. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff'
  });
  res.end(text);
}

/** Send an API error as `{code, message, details?}` with its status. */
export function sendError(res: ServerResponse, err: EosError, headers: Record<string, string> = {}): void {
  sendJson(res, err.status, err.toJSON(), headers);
}

/** A request target split into its path and query; the path is not decoded. */
export interface Target {
  path: string;
  query: URLSearchParams;
}

/** Split `req.url` (`/api/list?uri=...`) without resolving it as a URL. */
export function parseTarget(url: string | undefined): Target {
  const text = url ?? '/';
  const q = text.indexOf('?');
  return q < 0
    ? { path: text, query: new URLSearchParams() }
    : { path: text.slice(0, q), query: new URLSearchParams(text.slice(q + 1)) };
}

/**
 * Read the whole request body, keeping at most `limit` bytes of it.
 *
 * Every request is read to its end before it is answered, errors included:
 * the proxy writes the body after the headers, and answering (and closing)
 * before it has arrived breaks the proxy's write and turns our answer into
 * its 500. Bytes past the limit are read and discarded.
 *
 * @returns the body, or null when it was larger than the limit
 */
export function readBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      } else {
        chunks.length = 0;
      }
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : null));
    req.on('error', err =>
      reject(new EosError('InvalidRequest', `The request body could not be read: ${err.message}`))
    );
    // A client gone before its body ended: nothing more will come.
    req.on('close', () => {
      if (!req.complete) {
        reject(new EosError('InvalidRequest', 'The client closed the connection before its request body ended'));
      }
    });
  });
}

/**
 * Parse a JSON request body read by `readBody`.
 *
 * @throws EosError `InvalidRequest` for another content type, an empty body,
 *   invalid UTF-8 or invalid JSON; `PayloadTooLarge` beyond the limit.
 */
export function parseJsonBody(req: IncomingMessage, bytes: Buffer | null, limit: number = MAX_BODY_BYTES): unknown {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new EosError(
      'InvalidRequest',
      `The request body must be JSON (Content-Type: application/json), not ${type || 'missing'}`
    );
  }
  if (bytes === null) {
    throw new EosError('PayloadTooLarge', `The request body is larger than ${limit / 1024} KiB`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EosError('InvalidRequest', 'The request body is not valid UTF-8');
  }
  if (text.trim() === '') {
    throw new EosError('InvalidRequest', 'The request body is empty: expected a JSON object');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EosError('InvalidRequest', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}
