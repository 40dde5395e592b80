/**
 * A scripted EOS service for the frontend tests: stands in for `requestAPI`.
 */
import { Access, Entry, ListResponse, Routes, WhoAmIResponse } from '../../core';
import type { EosBrowserModel } from '../model';
import { EosRequest, EosRequestError } from '../request';

export const USER_ID = '0b9c6f1e-3d4a-4b5c-8d7e-9f0a1b2c3d4e';
export const OTHER_ID = '7f6e5d4c-3b2a-4190-8877-665544332211';

export const WHOAMI: WhoAmIResponse = {
  userId: USER_ID,
  orgId: '11111111-2222-4333-8444-555555555555',
  orgBucket: 'gencove-explorer-111111112222',
  gencoveBucket: 'gencove-explorer-data',
  home: 'e://users/me/',
  namespaces: [
    { name: 'users', uri: 'e://users/me/', access: 'readwrite' },
    { name: 'org', uri: 'e://org/', access: 'readwrite' },
    { name: 'gencove', uri: 'e://gencove/', access: 'read' }
  ],
  version: '0.1.0'
};

/** A folder entry below `parent`. */
export function folder(parent: string, name: string, access: Access = 'readwrite'): Entry {
  return { kind: 'folder', name, uri: `${parent}${name}/`, access };
}

/** An object entry below `parent`. */
export function object(parent: string, name: string, size = 1234, access: Access = 'readwrite'): Entry {
  return { kind: 'object', name, uri: `${parent}${name}`, access, size, modified: '2024-05-01T12:00:00.000Z' };
}

/** One recorded call. */
export interface ICall {
  route: string;
  query: Record<string, unknown>;
  signal?: AbortSignal;
  body?: unknown;
}

/** Answers `whoami` and `list` from scripted pages; requests can be held back. */
export class FakeEos {
  calls: ICall[] = [];
  whoami: WhoAmIResponse | Error = WHOAMI;
  /** What `api/locations` fails with, if anything. */
  locationsError: Error | null = null;

  /** Script the page of `uri` at `cursor` ('' for the first page). */
  page(uri: string, entries: Entry[], next: string | null = null, cursor = '', access: Access = 'readwrite'): void {
    this._pages.set(`${uri}\n${cursor}`, { uri, access, entries, next });
  }

  /** Make the page of `uri` at `cursor` fail. */
  fail(uri: string, error: Error, cursor = ''): void {
    this._pages.set(`${uri}\n${cursor}`, error);
  }

  /** Hold the next request for the page; it answers (with the script as it is then) when released. */
  hold(uri: string, cursor = ''): () => void {
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    const key = `${uri}\n${cursor}`;
    this._gates.set(key, [...(this._gates.get(key) ?? []), gate]);
    return release;
  }

  /** The URIs listed so far, in order. */
  listed(): string[] {
    return this.calls.filter(call => call.route === Routes.list).map(call => String(call.query.uri));
  }

  /** The service as a model's `request` option (what `request` answers, also once a subclass replaces it). */
  readonly requester = ((route: string, options?: object) => this.request(route, options)) as EosRequest;

  /** Stands in for `requestAPI`. */
  request = async (
    route: string,
    options: { query?: object; body?: unknown; signal?: AbortSignal } = {}
  ): Promise<unknown> => {
    const query: Record<string, unknown> = { ...(options.query ?? {}) };
    this.calls.push({ route, query, signal: options.signal, body: options.body });
    if (route === Routes.locations) {
      if (this.locationsError) {
        throw this.locationsError;
      }
      return options.body; // the service answers the list it keeps
    }
    if (route === Routes.whoami) {
      if (this.whoami instanceof Error) {
        throw this.whoami;
      }
      return this.whoami;
    }
    if (route === Routes.list) {
      const key = `${query.uri}\n${query.cursor ?? ''}`;
      const gate = this._gates.get(key)?.shift();
      if (gate) {
        // Like the real request: an abort while waiting rejects at once.
        await new Promise<void>((resolve, reject) => {
          void gate.then(resolve);
          options.signal?.addEventListener('abort', () => reject(EosRequestError.abort()));
        });
      }
      if (options.signal?.aborted) {
        throw EosRequestError.abort();
      }
      if (typeof query.prefix === 'string') {
        return this._prefixPage(String(query.uri), query.prefix);
      }
      const answer = this._pages.get(key) ?? { uri: query.uri, access: 'readwrite', entries: [], next: null };
      if (answer instanceof Error) {
        throw answer;
      }
      return answer;
    }
    throw new EosRequestError('NotFound', `No route ${route}`, 404);
  };

  /** A prefix search: every scripted entry of the folder whose name starts with `prefix`, in one page. */
  private _prefixPage(uri: string, prefix: string): ListResponse {
    const entries: Entry[] = [];
    for (const [key, page] of this._pages) {
      if (key.startsWith(`${uri}\n`) && !(page instanceof Error)) {
        entries.push(...page.entries.filter(entry => entry.name.startsWith(prefix)));
      }
    }
    return { uri, access: 'readwrite', entries, next: null };
  }

  private _pages = new Map<string, ListResponse | Error>();
  private _gates = new Map<string, Promise<void>[]>();
}

/** One signal of the browser model, as `recordChanges` keeps it. */
export interface IRecordedChange {
  type: 'session' | 'node' | 'error' | 'selection' | 'filter' | 'order' | 'reveal';
  uri: string | null;
  error?: Error;
}

/** Record the browser model's signals, of every kind, in the order they come. */
export function recordChanges(model: EosBrowserModel): IRecordedChange[] {
  const changes: IRecordedChange[] = [];
  model.sessionChanged.connect(() => changes.push({ type: 'session', uri: null }));
  model.nodeChanged.connect((_, uri) => changes.push({ type: 'node', uri }));
  model.requestFailed.connect((_, { uri, error }) => changes.push({ type: 'error', uri, error }));
  model.selectionChanged.connect((_, uri) => changes.push({ type: 'selection', uri }));
  model.filterChanged.connect((_, uri) => changes.push({ type: 'filter', uri }));
  model.orderChanged.connect(() => changes.push({ type: 'order', uri: null }));
  model.revealed.connect((_, uri) => changes.push({ type: 'reveal', uri }));
  return changes;
}

/** Wait until `done()` holds, checking every 10 ms (at most 5 s: a loaded machine runs timers late). */
export async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 5000) {
      throw new Error('timed out');
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
