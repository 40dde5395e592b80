/**
 * The EOS drive of JupyterLab's contents manager: documents at
 * `EOS:<drive path>` are EOS objects, so JupyterLab's own editors, notebook,
 * CSV/TSV, image and PDF viewers open them and save them back.
 *
 * Saves are conditional on the ETag the drive last reported for the path
 * (`hash`): the document context compares hashes before saving and shows its
 * "file changed" dialog when they differ; a change that slips in between is
 * refused by S3 itself (`If-Match`), so nothing is overwritten silently.
 *
 * A save that would write what was read (`unchanged.ts`: for a notebook, the
 * same cells and metadata) writes nothing: opening a notebook makes JupyterLab
 * mark it dirty, and autosave would otherwise rewrite a shared object that no
 * one edited. An explicit save (`saveAlways`, from File > Save) still writes.
 */
import { PathExt } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import {
  ContentResponse,
  DEFAULT_OPEN_LIMIT,
  DRIVE_NAME,
  EosError,
  Routes,
  drivePathOf,
  uriOfDrivePath
} from '../../core';
import { requestAPI } from '../request';
import { ContentDigest, contentDigest } from './unchanged';

/** The hash algorithm the drive reports: S3's ETag stands for the content. */
export const ETAG_HASH = 'etag';

/** An empty notebook (nbformat 4.5), what "New Notebook" writes. */
const EMPTY_NOTEBOOK = {
  cells: [],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
};

/** The name of the `n`th untitled file: `untitled.txt`, `untitled1.txt`, ... */
function untitledName(base: string, ext: string, n: number): string {
  return `${base}${n === 0 ? '' : n}${ext}`;
}

/** Whether a drive path names a namespace or user root (always a folder). */
function isRootLevel(path: string): boolean {
  const parts = path.split('/');
  return path === '' || parts.length === 1 || (parts[0] === 'users' && parts.length === 2);
}

/** The EOS drive. */
export class EosDrive implements Contents.IDrive {
  readonly name = DRIVE_NAME;
  readonly serverSettings: ServerConnection.ISettings;

  constructor(options: EosDrive.IOptions) {
    this.serverSettings = options.serverSettings;
    this._limit = options.limit ?? (() => DEFAULT_OPEN_LIMIT);
  }

  get fileChanged(): ISignal<this, Contents.IChangedArgs> {
    return this._fileChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (!this._isDisposed) {
      this._isDisposed = true;
      Signal.clearData(this);
    }
  }

  /** The `EOS:` path of an `e://` URI (folders without their trailing slash). */
  static pathOf(uri: string): string {
    return `${DRIVE_NAME}:${drivePathOf(uri)}`;
  }

  async get(localPath: string, options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    const path = Private.clean(localPath);
    if (options.type === 'directory' || isRootLevel(path)) {
      return this._folder(path, options.content !== false);
    }
    let answer: ContentResponse;
    try {
      answer = await this._request(Routes.content, {
        query: {
          uri: uriOfDrivePath(path),
          format: options.format === 'base64' ? 'base64' : options.format ? 'text' : undefined,
          limit: Math.min(this._limit(), 64 * 1024 ** 2),
          content: options.content !== false
        }
      });
    } catch (err) {
      // A name without an object but with keys under it is a folder.
      if (err instanceof EosError && (err.code === 'NotFound' || err.code === 'InvalidRequest')) {
        const folder = await this._folder(path, options.content !== false).catch(() => null);
        if (folder && (folder.content === null || folder.content.length > 0)) {
          return folder;
        }
      }
      throw err;
    }
    this._etags.set(path, answer.etag);
    const model = Private.fileModel(path, answer, options.type);
    if (answer.content !== null) {
      this._read.set(path, { etag: answer.etag, digest: contentDigest(model.content, model.type === 'notebook') });
    }
    return model;
  }

  /**
   * Make saves of a path write even when nothing changed, until `until`
   * settles: an explicit save (File > Save, Ctrl+S) writes what JupyterLab
   * shows, normalised or not.
   */
  saveAlways(localPath: string, until: Promise<unknown>): void {
    const path = Private.clean(localPath);
    this._always.set(path, (this._always.get(path) ?? 0) + 1);
    const done = () => {
      const n = (this._always.get(path) ?? 1) - 1;
      if (n > 0) {
        this._always.set(path, n);
      } else {
        this._always.delete(path);
      }
    };
    void until.then(done, done);
  }

  async getDownloadUrl(localPath: string): Promise<string> {
    const answer = await this._request(Routes.presign, {
      body: { uri: uriOfDrivePath(Private.clean(localPath)), download: true }
    });
    return answer.url;
  }

  async newUntitled(options: Contents.ICreateOptions = {}): Promise<Contents.IModel> {
    const folder = Private.clean(options.path ?? '');
    const type = options.type ?? 'file';
    if (type === 'directory') {
      throw new EosError('InvalidRequest', 'Create EOS folders with New Folder in the EOS panel');
    }
    const ext = type === 'notebook' ? '.ipynb' : (options.ext ?? '.txt');
    const base = type === 'notebook' ? 'Untitled' : 'untitled';
    const body = type === 'notebook' ? Private.notebookText(EMPTY_NOTEBOOK) : '';
    for (let n = 0; n < 100; n++) {
      const path = PathExt.join(folder, untitledName(base, ext, n));
      try {
        // No ETag: S3 refuses to write over an object that exists (`If-None-Match: *`).
        const saved = await this._request(Routes.saveContent, {
          query: { uri: uriOfDrivePath(path) },
          body: new Blob([body])
        });
        this._etags.set(path, saved.etag);
        const model = await this.get(path, { content: false, type });
        this._fileChanged.emit({ type: 'new', oldValue: null, newValue: model });
        return model;
      } catch (err) {
        if (!(err instanceof EosError && err.code === 'Conflict')) {
          throw err;
        }
      }
    }
    throw new EosError('Conflict', `No free untitled name in ${uriOfDrivePath(folder, true)}`);
  }

  async delete(localPath: string): Promise<void> {
    throw Private.notHere('delete', localPath);
  }

  async rename(oldLocalPath: string, newLocalPath: string): Promise<Contents.IModel> {
    throw Private.notHere('rename', oldLocalPath, newLocalPath);
  }

  async copy(localPath: string, toLocalDir: string): Promise<Contents.IModel> {
    throw Private.notHere('copy', localPath, toLocalDir);
  }

  async save(localPath: string, options: Partial<Contents.IModel> = {}): Promise<Contents.IModel> {
    const path = Private.clean(localPath);
    const uri = uriOfDrivePath(path);
    const notebook = options.format === 'json' || options.type === 'notebook';
    const digest = contentDigest(options.content ?? (notebook ? {} : ''), notebook);
    const read = this._read.get(path);
    // Unchanged since read or written, and still that version in S3 (as far as the context's
    // check before saving saw): nothing to write, unless the user asked for this save.
    if (read && read.etag === this._etags.get(path) && read.digest === digest && !this._always.has(path)) {
      return this.get(path, { content: false, type: options.type });
    }
    const saved = await this._request(Routes.saveContent, {
      query: { uri, etag: this._etags.get(path) },
      body: Private.bytesOf(options)
    });
    this._etags.set(path, saved.etag);
    this._read.set(path, { etag: saved.etag, digest });
    const model = await this.get(path, { content: false, type: options.type });
    this._fileChanged.emit({ type: 'save', oldValue: null, newValue: model });
    return model;
  }

  async createCheckpoint(localPath: string): Promise<Contents.ICheckpointModel> {
    const answer = await this._request(Routes.changeCheckpoint, {
      body: { uri: uriOfDrivePath(Private.clean(localPath)), action: 'create' }
    });
    const checkpoint = answer.checkpoints[0];
    if (!checkpoint) {
      throw new EosError('PayloadTooLarge', 'The file is too large to keep a checkpoint of');
    }
    return { id: checkpoint.id, last_modified: checkpoint.modified };
  }

  async listCheckpoints(localPath: string): Promise<Contents.ICheckpointModel[]> {
    const answer = await this._request(Routes.checkpoints, {
      query: { uri: uriOfDrivePath(Private.clean(localPath)) }
    });
    return answer.checkpoints.map(c => ({ id: c.id, last_modified: c.modified }));
  }

  async restoreCheckpoint(localPath: string, checkpointID: string): Promise<void> {
    const path = Private.clean(localPath);
    await this._request(Routes.changeCheckpoint, {
      body: { uri: uriOfDrivePath(path), action: 'restore', id: checkpointID }
    });
    // The restore wrote the object: the next save goes on from what is there now.
    await this.get(path, { content: false });
  }

  async deleteCheckpoint(localPath: string, checkpointID: string): Promise<void> {
    await this._request(Routes.changeCheckpoint, {
      body: { uri: uriOfDrivePath(Private.clean(localPath)), action: 'delete', id: checkpointID }
    });
  }

  /** A folder's model: its first page of entries (the EOS panel browses the rest). */
  private async _folder(path: string, content: boolean): Promise<Contents.IModel> {
    const uri = uriOfDrivePath(path, path !== '');
    const listing = content ? await this._request(Routes.list, { query: { uri, limit: 1000 } }) : null;
    return {
      name: PathExt.basename(path),
      path,
      type: 'directory',
      writable: listing ? listing.access === 'readwrite' : false,
      created: '',
      last_modified: '',
      mimetype: '',
      format: content ? 'json' : null,
      content: listing
        ? listing.entries.map(e => ({
            name: e.name,
            path: drivePathOf(e.uri),
            type: e.kind === 'folder' ? 'directory' : e.name.endsWith('.ipynb') ? 'notebook' : 'file',
            writable: e.access === 'readwrite',
            created: e.modified ?? '',
            last_modified: e.modified ?? '',
            mimetype: '',
            format: null,
            content: null,
            size: e.size
          }))
        : null
    };
  }

  private _request: typeof requestAPI = (route, options) => requestAPI(route, options, this.serverSettings);
  private _limit: () => number;
  private _etags = new Map<string, string>();
  /** What each path held when last read or written (its ETag then), to skip saves that change nothing. */
  private _read = new Map<string, { etag: string; digest: ContentDigest }>();
  /** Paths being saved explicitly (counts of explicit saves in progress). */
  private _always = new Map<string, number>();
  private _isDisposed = false;
  private _fileChanged = new Signal<this, Contents.IChangedArgs>(this);
}

/** The namespace for `EosDrive` statics. */
export namespace EosDrive {
  /** What the drive is built with. */
  export interface IOptions {
    /** The Jupyter server the service is reached through. */
    serverSettings: ServerConnection.ISettings;
    /** Objects above this many bytes are not opened (default DEFAULT_OPEN_LIMIT). */
    limit?: () => number;
  }
}

namespace Private {
  /** A drive path without leading or trailing slashes. */
  export function clean(path: string): string {
    return path.replace(/^\/+|\/+$/g, '');
  }

  /** A notebook as nbformat writes it: one-space indents, a final newline. */
  export function notebookText(content: unknown): string {
    return `${JSON.stringify(content, null, 1)}\n`;
  }

  /** What a save sends: the notebook's JSON, the text, or the base64-decoded bytes. */
  export function bytesOf(options: Partial<Contents.IModel>): Blob {
    if (options.format === 'json' || options.type === 'notebook') {
      return new Blob([notebookText(options.content ?? {})]);
    }
    if (options.format === 'base64') {
      const binary = atob(String(options.content ?? ''));
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
      }
      return new Blob([bytes]);
    }
    return new Blob([String(options.content ?? '')]);
  }

  /** A file's model from the service's answer. */
  export function fileModel(path: string, answer: ContentResponse, type?: string): Contents.IModel {
    const notebook = type === 'notebook' || (type === undefined && answer.name.endsWith('.ipynb'));
    let content: unknown = answer.content;
    let format: Contents.FileFormat = answer.format;
    if (notebook && answer.content !== null) {
      content = JSON.parse(answer.content);
      format = 'json';
    } else if (notebook) {
      format = null;
    }
    return {
      name: PathExt.basename(path),
      path,
      type: notebook ? 'notebook' : 'file',
      writable: answer.access === 'readwrite',
      created: answer.modified,
      last_modified: answer.modified,
      mimetype: answer.contentType,
      content,
      format,
      size: answer.size,
      hash: answer.etag,
      hash_algorithm: ETAG_HASH
    };
  }

  /** What the drive leaves to the EOS panel. */
  export function notHere(action: string, path: string, to?: string): EosError {
    const target = to === undefined ? '' : ` to ${to}`;
    return new EosError(
      'InvalidRequest',
      `Cannot ${action} ${uriOfDrivePath(clean(path))}${target} from here: use the EOS panel`
    );
  }
}
