/**
 * Uploads from the user's computer: files and whole folders, sent to the
 * service as raw parts (`File.slice`, never read whole, never base64), a few
 * in flight, each becoming a part of the object's multipart upload.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { CreateUploadsRequest, CreateUploadsResponse, Job, Routes } from '../../core';
import { notifyError } from '../errors';
import { EosRequestError, isAbort, makeUrl, requestAPI } from '../request';
import { TransfersModel } from './model';

/** Parts in flight at once, over all the files of an upload. */
export const PARTS_IN_FLIGHT = 4;

/** A file from the user's computer and where it goes below the destination folder. */
export interface ILocalFile {
  file: File;
  /** The path below the destination folder: `a.bam`, or `dir/sub/a.bam` for folder drops. */
  relativePath: string;
}

/** What an upload from the computer needs. */
export interface IUploadDeps {
  serverSettings: ServerConnection.ISettings;
  transfers: TransfersModel;
  trans: TranslationBundle;
}

/** The conflict policies the user can pick when targets exist. */
type Choice = NonNullable<CreateUploadsRequest['conflict']>;

/**
 * The files of a desktop drop, folders walked to the end
 * (`webkitGetAsEntry`; `readEntries` answers a batch at a time until it
 * answers nothing).
 */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<ILocalFile[]> {
  // Take every entry synchronously: the DataTransfer is emptied once the drop handler returns.
  const entries: (FileSystemEntry | null)[] = [];
  const plain: File[] = [];
  const items = dt.items ? Array.from(dt.items) : [];
  for (const item of items) {
    if (item.kind !== 'file') {
      continue;
    }
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) {
      entries.push(entry);
    } else {
      const file = item.getAsFile();
      if (file) {
        plain.push(file);
      }
    }
  }
  if (items.length === 0) {
    plain.push(...Array.from(dt.files ?? []));
  }
  const out: ILocalFile[] = plain.map(file => ({ file, relativePath: file.name }));
  for (const entry of entries) {
    await Private.walk(entry as FileSystemEntry, '', out);
  }
  return out;
}

/**
 * Upload files from the user's computer into an EOS folder, as one job.
 *
 * Existing targets are asked about first (overwrite, skip, keep both, or
 * cancel). The job shows in the transfers panel at once; its Cancel stops the
 * sending and aborts the multipart uploads, and so does leaving the page.
 *
 * @param destinationFolder - an `e://` folder URI ending in `/`.
 * @returns the job once every part is sent and the uploads completed (or
 *   stopped); null when nothing was started (the user cancelled, or the
 *   service refused, which is shown as a notification).
 */
export async function uploadFromComputer(
  deps: IUploadDeps,
  files: ILocalFile[],
  destinationFolder: string
): Promise<Job | null> {
  const { serverSettings, transfers, trans } = deps;
  if (files.length === 0) {
    return null;
  }
  const folder = destinationFolder.endsWith('/') ? destinationFolder : `${destinationFolder}/`;
  const request: CreateUploadsRequest = {
    files: files.map(f => ({
      destination: folder + f.relativePath,
      size: f.file.size,
      modified: f.file.lastModified ? new Date(f.file.lastModified).toISOString() : undefined
    })),
    conflict: 'fail'
  };
  let created: CreateUploadsResponse;
  try {
    created = await requestAPI(Routes.uploads, { body: request }, serverSettings);
  } catch (reason) {
    if (!(reason instanceof EosRequestError) || reason.code !== 'Conflict') {
      notifyError(reason, trans, trans.__('Cannot upload to %1', folder));
      return null;
    }
    const choice = await askConflict(reason, trans);
    if (choice === null) {
      return null;
    }
    try {
      created = await requestAPI(Routes.uploads, { body: { ...request, conflict: choice } }, serverSettings);
    } catch (again) {
      notifyError(again, trans, trans.__('Cannot upload to %1', folder));
      return null;
    }
  }
  transfers.track(created.job);
  return new Private.Sender(deps, files, created).run();
}

/**
 * Ask what to do with existing targets: the dialog lists them (the
 * `Conflict` error's details) and answers a policy, or null for Cancel.
 */
export async function askConflict(error: EosRequestError, trans: TranslationBundle): Promise<Choice | null> {
  const body = document.createElement('div');
  const intro = document.createElement('p');
  intro.textContent = error.message;
  body.appendChild(intro);
  if (error.details) {
    const list = document.createElement('pre');
    list.className = 'jp-EosDialog-details';
    list.textContent = error.details;
    body.appendChild(list);
  }
  const choices: [Choice, string][] = [
    ['keep-both', trans.__('Keep both')],
    ['skip', trans.__('Skip')],
    ['overwrite', trans.__('Overwrite')]
  ];
  const result = await showDialog({
    title: trans.__('Files already exist'),
    body: new Widget({ node: body }),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      ...choices.map(([choice, label]) =>
        Dialog.okButton({ label, displayType: choice === 'overwrite' ? 'warn' : 'default' })
      )
    ]
  });
  if (!result.button.accept) {
    return null;
  }
  return choices.find(([, label]) => label === result.button.label)?.[0] ?? null;
}

namespace Private {
  /** Add the files under `entry` to `out`, with their paths below the dropped item's parent. */
  export async function walk(entry: FileSystemEntry, prefix: string, out: ILocalFile[]): Promise<void> {
    const path = prefix + entry.name;
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ file, relativePath: path });
      return;
    }
    if (!entry.isDirectory) {
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) {
        break;
      }
      for (const child of batch) {
        await walk(child, `${path}/`, out);
      }
    }
  }

  /** One part to send. */
  interface IPart {
    upload: number;
    n: number;
    start: number;
    end: number;
  }

  /** Sends the parts of one `api/uploads` answer, completes each upload, and aborts them on cancel. */
  export class Sender {
    constructor(
      private deps: IUploadDeps,
      private files: ILocalFile[],
      private created: CreateUploadsResponse
    ) {
      const { partSize, uploads } = created;
      uploads.forEach((upload, i) => {
        if (upload.id === null) {
          return; // skipped
        }
        const size = files[i].file.size;
        const count = Math.max(1, Math.ceil(size / partSize)); // an empty file is one empty part
        this.left[i] = count;
        this.open.add(upload.id);
        for (let n = 1; n <= count; n++) {
          this.parts.push({ upload: i, n, start: (n - 1) * partSize, end: Math.min(n * partSize, size) });
        }
      });
    }

    async run(): Promise<Job> {
      const { transfers } = this.deps;
      const id = this.created.job.id;
      const cancelling = transfers.onCancel(id, () => this.abortAll());
      window.addEventListener('pagehide', this.onLeave);
      window.addEventListener('beforeunload', this.onLeave);
      try {
        await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, this.parts.length) }, () => this.worker()));
        if (this.open.size === 0 && this.parts.length === 0 && !this.stopped && this.lastJob === null) {
          // Every file was skipped: nothing to send.
          this.lastJob = transfers.job(id) ?? this.created.job;
        }
      } catch (reason) {
        if (!this.stopped) {
          this.stopped = true;
          this.controller.abort();
          await this.abortAll();
          notifyError(reason, this.deps.trans, this.deps.trans.__('Upload failed'));
        }
      } finally {
        cancelling.dispose();
        window.removeEventListener('pagehide', this.onLeave);
        window.removeEventListener('beforeunload', this.onLeave);
      }
      return this.lastJob ?? transfers.job(id) ?? this.created.job;
    }

    /** Stop sending and abort every upload not completed. */
    async abortAll(): Promise<void> {
      this.stopped = true;
      this.controller.abort();
      const ids = [...this.open];
      this.open.clear();
      await Promise.all(
        ids.map(id =>
          requestAPI(Routes.abortUpload, { body: { id } }, this.deps.serverSettings).then(
            job => this.deps.transfers.track(job),
            reason => console.warn('jupyterlab-eos: could not abort upload', id, reason)
          )
        )
      );
    }

    private async worker(): Promise<void> {
      const { serverSettings, transfers } = this.deps;
      for (;;) {
        const part = this.parts[this.next++];
        if (!part || this.stopped) {
          return;
        }
        const upload = this.created.uploads[part.upload];
        const body = this.files[part.upload].file.slice(part.start, part.end);
        try {
          await requestAPI(
            Routes.uploadPart,
            { query: { id: upload.id!, n: part.n }, body, signal: this.controller.signal },
            serverSettings
          );
        } catch (reason) {
          if (isAbort(reason) || this.stopped) {
            return;
          }
          throw reason;
        }
        this.sent += part.end - part.start;
        transfers.reportSent(this.created.job.id, this.sent);
        if (--this.left[part.upload] === 0 && !this.stopped) {
          const job = await requestAPI(Routes.completeUpload, { body: { id: upload.id! } }, serverSettings);
          this.open.delete(upload.id!);
          this.lastJob = job;
          transfers.track(job);
        }
      }
    }

    /** The page is going away: abort the open uploads with requests that outlive it. */
    private onLeave = (): void => {
      if (this.open.size === 0) {
        return;
      }
      this.stopped = true;
      this.controller.abort();
      const settings = this.deps.serverSettings;
      for (const id of this.open) {
        void settings
          .fetch(makeUrl(settings.baseUrl, Routes.abortUpload), {
            method: 'POST',
            keepalive: true,
            credentials: 'same-origin',
            headers: authHeaders(settings),
            body: JSON.stringify({ id })
          })
          .catch(() => undefined);
      }
      this.open.clear();
    };

    private controller = new AbortController();
    private lastJob: Job | null = null;
    private left: number[] = [];
    private next = 0;
    private open = new Set<string>();
    private parts: IPart[] = [];
    private sent = 0;
    private stopped = false;
  }

  /** The headers `ServerConnection.makeRequest` would add: the token, and `X-XSRFToken` from the `_xsrf` cookie. */
  export function authHeaders(settings: ServerConnection.ISettings): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (settings.token) {
      headers.Authorization = `token ${settings.token}`;
    }
    const xsrf = cookie('_xsrf');
    if (xsrf !== undefined) {
      headers['X-XSRFToken'] = xsrf;
    }
    return headers;
  }

  /** A cookie's value; the last one when several paths set it (as Tornado reads them). */
  function cookie(name: string): string | undefined {
    let value: string | undefined;
    let all = '';
    try {
      all = document.cookie;
    } catch {
      return undefined;
    }
    for (const part of all.split(';')) {
      const trimmed = part.trim();
      if (trimmed.startsWith(`${name}=`)) {
        value = trimmed.slice(name.length + 1);
      }
    }
    return value;
  }
}
