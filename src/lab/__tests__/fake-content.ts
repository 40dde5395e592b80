/**
 * A scripted content service for the EOS drive's tests: stands in for
 * `requestAPI` on `api/content` and `api/content/save`.
 */
import { EosRequestError } from '../request';

/** A Blob's text (jsdom's Blob has no `text()`). */
function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

/** A scripted content service: objects by URI, with ETags that change on each save. */
export class FakeContent {
  objects = new Map<string, { text: string; etag: string }>();
  calls: { route: string; query?: any; body?: any }[] = [];
  private n = 0;

  put(uri: string, text: string): string {
    const etag = `"etag-${++this.n}"`;
    this.objects.set(uri, { text, etag });
    return etag;
  }

  request = async (route: string, options: { query?: any; body?: any }) => {
    this.calls.push({ route, ...options });
    const uri = options.query?.uri;
    const found = this.objects.get(uri);
    if (route === 'api/content') {
      if (!found) {
        throw new EosRequestError('NotFound', `No such object: ${uri}`, 404);
      }
      const content = options.query.content === false ? null : found.text;
      return {
        uri,
        name: uri.slice(uri.lastIndexOf('/') + 1),
        size: found.text.length,
        modified: '2026-11-25T12:00:00.000Z',
        etag: found.etag,
        contentType: uri.endsWith('.ipynb') ? 'application/x-ipynb+json' : 'text/plain',
        access: uri.startsWith('e://gencove/') ? 'read' : 'readwrite',
        format: content === null ? null : 'text',
        content
      };
    }
    if (route === 'api/content/save') {
      const expected = options.query.etag;
      if (expected === undefined ? found !== undefined : found?.etag !== expected) {
        throw new EosRequestError('Conflict', `${uri} was changed by someone else since it was opened`, 409);
      }
      const text = await blobText(options.body as Blob);
      const etag = this.put(uri, text);
      return { uri, size: text.length, modified: '2026-11-25T12:01:00.000Z', etag };
    }
    throw new Error(`unexpected route ${route}`);
  };
}
