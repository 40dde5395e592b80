/**
 * Moving data between the server's disk and EOS: the requests that start
 * transfers, moves and syncs (shared by drag and drop and the menus), and
 * the commands "Upload to EOS…", "Sync folder to EOS…", "Download to current
 * folder" and "Sync to local folder…".
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { IStateDB } from '@jupyterlab/statedb';
import { downloadIcon, fileUploadIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import {
  ConflictChoice,
  Job,
  Routes,
  SyncPlan,
  SyncRequest,
  TransferRequest,
  formatEosUri,
  lastSegment,
  parseEosUri,
  parseLocation
} from '../../core';
import { formatSize } from '../components/format';
import { askName } from '../dialogs/name';
import { parentOf, writeProblem } from '../dnd/targets';
import { asEosError, notifyError } from '../errors';
import { IEosDropActions, CommandIDs } from '../tokens';
import { ICommandContext, folderOf, paletteLabel, targetsOf, uriArgs } from './context';
import { followJob, jobProgress } from './jobs';

/** One item of JupyterLab's file browser. */
export interface ILocalItem {
  /** Relative to the Jupyter root, no leading slash. */
  path: string;
  type: 'directory' | 'file' | 'notebook' | string;
}

/** What the transfer commands need from JupyterLab's file browser. */
export interface ILocalBrowser {
  /** The folder it shows, relative to the root (`''` at the root). */
  readonly path: string;
  /** Its selected items. */
  selected(): ILocalItem[];
  /** List its folder again. */
  refresh(): Promise<void>;
}

/** Where the last EOS folder used as a destination is kept. */
export const LAST_FOLDER_KEY = 'jupyterlab-eos:last-destination';
/** How many entries of each list a sync preview shows. */
export const PREVIEW_ENTRIES = 10;

/** What the transfer commands work with. */
export interface ITransferContext extends ICommandContext {
  /** JupyterLab's file browser; null when there is none. */
  local: ILocalBrowser | null;
  /** Keeps the last EOS destination across reloads. */
  state: Pick<IStateDB, 'fetch' | 'save'> | null;
  /** The transfers panel's actions, when it is there. */
  actions: IEosDropActions | null;
}

/** The last EOS folder used as a destination, or `e://users/me/`. */
export async function lastFolder(context: ITransferContext): Promise<string> {
  try {
    const value = await context.state?.fetch(LAST_FOLDER_KEY);
    if (typeof value === 'string' && value.startsWith('e://')) {
      return value;
    }
  } catch {
    // No saved folder: the default.
  }
  return context.model.whoami?.home ?? 'e://users/me/';
}

/** Remember `folder` as the last EOS destination. */
export async function rememberFolder(context: ITransferContext, folder: string): Promise<void> {
  try {
    await context.state?.save(LAST_FOLDER_KEY, folder);
  } catch {
    // Not kept: the next dialog starts from the default.
  }
}

/**
 * The EOS folder typed in a destination field, in canonical form with a
 * trailing slash (`e://` or `s3://`), or why it is refused.
 */
export function parseEosFolder(
  text: string,
  context: Pick<ICommandContext, 'model' | 'trans'>
): { folder: string } | { problem: string } {
  const { model, trans } = context;
  const trimmed = text.trim();
  if (trimmed === '') {
    return { problem: trans.__('Enter an e:// folder.') };
  }
  let folder: string;
  try {
    const path = model.context ? parseLocation(trimmed, model.context) : parseEosUri(trimmed);
    folder = formatEosUri(path);
  } catch (reason) {
    return { problem: asEosError(reason).message };
  }
  if (!folder.endsWith('/')) {
    folder += '/';
  }
  const problem = writeProblem(folder, model.node(folder)?.access ?? null, model.context, trans);
  return problem ? { problem } : { folder };
}

/** Why a local folder typed in a field is refused (absolute, or leading out of the root), or null. */
export function localFolderProblem(text: string, context: Pick<ICommandContext, 'trans'>): string | null {
  const { trans } = context;
  if (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text)) {
    return trans.__('Give a folder relative to the Jupyter root, without a leading "/".');
  }
  if (text.split('/').includes('..')) {
    return trans.__('A folder outside the Jupyter root cannot be used.');
  }
  return null;
}

/** "a.bam" for one item, "3 items" for several. */
function itemsLabel(sources: readonly string[], context: ICommandContext): string {
  return sources.length === 1 ? lastSegment(sources[0]) : context.trans._n('%1 item', '%1 items', sources.length);
}

/** Show the local folder as the file browser names it (`/` for the root). */
export function localLabel(folder: string): string {
  return `/${folder}`;
}

/** Ask which way to resolve a job's conflict question, and answer it. */
async function answerQuestion(job: Job, context: ICommandContext): Promise<void> {
  const { trans } = context;
  const q = job.question!;
  const body = document.createElement('div');
  body.className = 'jp-EosDialog-conflict';
  const lines = [
    trans.__('%1 already exists.', q.target),
    q.targetSize === undefined ? '' : trans.__('There: %1', formatSize(q.targetSize)),
    q.sourceSize === undefined ? '' : trans.__('New: %1', formatSize(q.sourceSize))
  ];
  body.textContent = lines.filter(Boolean).join('\n');
  const result = await showDialog({
    title: trans.__('File Already Exists'),
    body: new Widget({ node: body }),
    checkbox: (job.questions ?? 1) > 1 ? { label: trans.__('Apply to all %1 conflicts', job.questions) } : null,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Skip'), actions: ['skip'] }),
      Dialog.okButton({ label: trans.__('Keep Both'), actions: ['keep-both'], displayType: 'default' }),
      Dialog.warnButton({ label: trans.__('Overwrite'), actions: ['overwrite'] })
    ]
  });
  const choice = (result.button.actions[0] ?? 'skip') as ConflictChoice;
  try {
    await context.request(Routes.answerJob, {
      body: { id: job.id, question: q.id, choice, applyToAll: result.isChecked === true }
    });
  } catch (reason) {
    notifyError(reason, trans, trans.__('Cannot answer'));
  }
}

/** Follow a job the commands or a drop started: in the panel when it is there, and in a notification. */
async function follow(
  job: Job,
  context: ITransferContext,
  messages: Omit<Parameters<typeof followJob>[2], 'ask'>
): Promise<Job | null> {
  context.actions?.showJob?.(job);
  return followJob(job, context, {
    ...messages,
    // The panel asks conflict questions when it is there.
    ask: context.actions?.showJob ? undefined : j => answerQuestion(j, context),
    showQuestion: context.actions?.showPanel && (() => context.actions?.showPanel?.())
  });
}

/**
 * Start `api/transfer` and follow the job; refreshes the EOS folder (upload)
 * or the file browser (download) when it ends.
 *
 * @returns the job in its final state, or null when it could not start.
 */
export async function transfer(context: ITransferContext, request: TransferRequest): Promise<Job | null> {
  const { trans } = context;
  const what = itemsLabel(request.sources, context);
  const upload = request.kind === 'upload';
  const where = upload ? request.destination : localLabel(request.destination);
  const failed = upload ? trans.__('Cannot upload to %1', where) : trans.__('Cannot download to %1', where);
  let job: Job;
  try {
    job = await context.request(Routes.transfer, { body: { conflict: 'ask', ...request } });
  } catch (reason) {
    notifyError(reason, trans, failed);
    return null;
  }
  if (upload) {
    void rememberFolder(context, request.destination);
  }
  const end = await follow(job, context, {
    running: j =>
      upload
        ? trans.__('Uploading %1 to %2… %3', what, where, jobProgress(j, trans))
        : trans.__('Downloading %1 to %2… %3', what, where, jobProgress(j, trans)),
    done: () => (upload ? trans.__('Uploaded %1 to %2', what, where) : trans.__('Downloaded %1 to %2', what, where)),
    failed,
    cancelled: j =>
      upload
        ? trans.__('Upload of %1 cancelled after %2', what, jobProgress(j, trans))
        : trans.__('Download of %1 cancelled after %2', what, jobProgress(j, trans))
  });
  // EOS folders written show through the service's `folders` event (freshness.ts); the file browser is ours to list.
  if (!upload) {
    await context.local?.refresh();
  }
  return end;
}

/**
 * Move (or copy) EOS items into an EOS folder with `api/copy`, server-side,
 * and follow the job (the tree follows the service's `folders` events).
 */
export async function moveInEos(
  context: ITransferContext,
  sources: string[],
  folder: string,
  copy: boolean
): Promise<Job | null> {
  const { trans } = context;
  const what = itemsLabel(sources, context);
  const failed = copy ? trans.__('Cannot copy %1', what) : trans.__('Cannot move %1', what);
  let job: Job;
  try {
    job = await context.request(Routes.copy, {
      body: { sources, destination: folder, move: !copy, conflict: 'fail' }
    });
  } catch (reason) {
    notifyError(reason, trans, failed);
    return null;
  }
  const end = await follow(job, context, {
    running: j =>
      copy
        ? trans.__('Copying %1 to %2… %3', what, folder, jobProgress(j, trans))
        : trans.__('Moving %1 to %2… %3', what, folder, jobProgress(j, trans)),
    done: () => (copy ? trans.__('Copied %1 to %2', what, folder) : trans.__('Moved %1 to %2', what, folder)),
    failed,
    cancelled: j =>
      copy
        ? trans.__('Copy of %1 cancelled after %2', what, jobProgress(j, trans))
        : trans.__('Move of %1 cancelled after %2', what, jobProgress(j, trans))
  });
  return end;
}

/** The body of the sync preview: what will be copied and deleted, and the delete checkbox. */
export class SyncPreview extends Widget {
  constructor(plan: SyncPlan, context: Pick<ICommandContext, 'trans'>) {
    super();
    const { trans } = context;
    this.addClass('jp-EosDialog-sync');
    const summary = document.createElement('p');
    summary.className = 'jp-EosDialog-syncSummary';
    summary.textContent = trans.__(
      '%1 to copy (%2), %3 unchanged, %4 at the destination not in the source.',
      trans._n('%1 item', '%1 items', plan.copyCount),
      formatSize(plan.bytes),
      plan.unchanged,
      plan.deleteCount
    );
    this.node.appendChild(summary);
    const list = (title: string, entries: { path: string; size?: number }[], count: number, className: string) => {
      if (count === 0) {
        return;
      }
      const heading = document.createElement('div');
      heading.className = 'jp-EosDialog-syncHeading';
      heading.textContent = title;
      const ul = document.createElement('ul');
      ul.className = `jp-EosDialog-syncList ${className}`;
      for (const entry of entries.slice(0, PREVIEW_ENTRIES)) {
        const li = document.createElement('li');
        li.textContent = entry.size === undefined ? entry.path : `${entry.path} (${formatSize(entry.size)})`;
        ul.appendChild(li);
      }
      if (count > PREVIEW_ENTRIES) {
        const li = document.createElement('li');
        li.className = 'jp-EosDialog-syncMore';
        li.textContent = trans.__('…and %1 more', count - Math.min(entries.length, PREVIEW_ENTRIES));
        ul.appendChild(li);
      }
      this.node.append(heading, ul);
    };
    list(trans.__('To copy'), plan.copy, plan.copyCount, 'jp-mod-copy');
    list(trans.__('Only at the destination'), plan.delete, plan.deleteCount, 'jp-mod-delete');
    // Keys that cannot be local names: the sync fails each one; the user sees them before it starts.
    const failed = (plan.failed ?? []).map(f => ({ path: trans.__('%1: %2', f.path, f.error.message) }));
    list(trans.__('Cannot be copied'), failed, plan.failedCount ?? 0, 'jp-mod-failed');
    const label = document.createElement('label');
    label.className = 'jp-EosDialog-syncDelete';
    this._checkbox = document.createElement('input');
    this._checkbox.type = 'checkbox';
    this._checkbox.checked = false;
    this._checkbox.disabled = plan.deleteCount === 0;
    label.append(this._checkbox, ` ${trans.__('Delete extra files at the destination (%1)', plan.deleteCount)}`);
    this.node.appendChild(label);
  }

  /** Whether the user asked to delete what the destination has and the source does not. */
  getValue(): boolean {
    return this._checkbox.checked;
  }

  private _checkbox: HTMLInputElement;
}

/**
 * Plan a sync, show the preview, and run it when the user accepts.
 *
 * @returns the sync job in its final state, or null when nothing ran.
 */
export async function sync(context: ITransferContext, request: SyncRequest): Promise<Job | null> {
  const { trans } = context;
  const toEos = request.destination.startsWith('e://');
  const where = toEos ? request.destination : localLabel(request.destination);
  const failed = trans.__('Cannot sync to %1', where);
  let plan: SyncPlan;
  try {
    plan = await context.request(Routes.syncPlan, { body: { ...request, delete: true } });
  } catch (reason) {
    notifyError(reason, trans, failed);
    return null;
  }
  if (plan.copyCount === 0 && plan.deleteCount === 0 && !plan.failedCount) {
    Notification.info(trans.__('%1 is already in sync with %2', where, lastSegment(request.source)), {
      autoClose: 5000
    });
    return null;
  }
  const result = await showDialog({
    title: trans.__('Sync %1 to %2', lastSegment(request.source), where),
    body: new SyncPreview(plan, context),
    buttons: [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: trans.__('Sync') })]
  });
  if (!result.button.accept) {
    return null;
  }
  const remove = result.value === true;
  let job: Job;
  try {
    job = await context.request(Routes.sync, { body: { ...request, delete: remove } });
  } catch (reason) {
    notifyError(reason, trans, failed);
    return null;
  }
  if (toEos) {
    void rememberFolder(context, parentOf(request.destination));
  }
  const end = await follow(job, context, {
    running: j => trans.__('Syncing %1 to %2… %3', lastSegment(request.source), where, jobProgress(j, trans)),
    done: () => trans.__('Synced %1 to %2', lastSegment(request.source), where),
    failed,
    cancelled: j => trans.__('Sync to %1 cancelled after %2', where, jobProgress(j, trans))
  });
  if (!toEos) {
    await context.local?.refresh();
  }
  return end;
}

/** Ask for an EOS destination folder (defaulting to `value`); null when cancelled. */
export async function askEosFolder(
  context: ITransferContext,
  options: { title: string; label: string; value: string; accept: string }
): Promise<string | null> {
  // The read-only rules need `whoami` (the EOS panel may not have been opened yet).
  await context.model.initialize().catch(() => undefined);
  const text = await askName({
    ...options,
    trans: context.trans,
    selection: [options.value.length, options.value.length],
    validate: value => {
      const parsed = parseEosFolder(value, context);
      return 'problem' in parsed ? parsed.problem : null;
    }
  });
  if (text === null) {
    return null;
  }
  const parsed = parseEosFolder(text, context);
  return 'folder' in parsed ? parsed.folder : null;
}

/** The local items a command acts on: its `paths` argument, else the file browser's selection. */
function localItems(context: ITransferContext, args: ReadonlyPartialJSONObject): ILocalItem[] {
  if (Array.isArray(args.paths)) {
    return args.paths
      .filter((p): p is string => typeof p === 'string')
      .map(path => ({ path, type: path.endsWith('/') ? 'directory' : 'file' }));
  }
  return context.local?.selected() ?? [];
}

/** Register the transfer commands. */
export function addTransferCommands(commands: CommandRegistry, context: ITransferContext): IDisposable[] {
  const { model, trans } = context;
  const localArgs = {
    args: {
      type: 'object' as const,
      properties: {
        paths: {
          type: 'array' as const,
          items: { type: 'string' as const },
          description: trans.__('Paths relative to the Jupyter root; the file browser selection by default')
        },
        destination: { type: 'string' as const, description: trans.__('The e:// folder; asked for by default') }
      }
    }
  };

  const upload = commands.addCommand(CommandIDs.uploadToEos, {
    label: paletteLabel(trans, trans.__('Upload to EOS…')),
    caption: trans.__('Copy the selected files and folders of the file browser to an EOS folder'),
    icon: fileUploadIcon,
    describedBy: localArgs,
    isEnabled: args => localItems(context, args).length > 0,
    execute: async args => {
      const items = localItems(context, args);
      if (items.length === 0) {
        return;
      }
      const sources = items.map(item => item.path.replace(/\/+$/, ''));
      let destination: string | null = null;
      if (typeof args.destination === 'string') {
        const parsed = parseEosFolder(args.destination, context);
        if ('problem' in parsed) {
          Notification.error(parsed.problem, { autoClose: 8000 });
          return;
        }
        destination = parsed.folder;
      } else {
        destination = await askEosFolder(context, {
          title: trans.__('Upload to EOS'),
          label: trans.__('EOS folder to upload %1 into', itemsLabel(sources, context)),
          value: await lastFolder(context),
          accept: trans.__('Upload')
        });
      }
      if (destination !== null) {
        await transfer(context, { kind: 'upload', sources, destination, conflict: 'ask' });
      }
    }
  });

  const localFolder = (args: ReadonlyPartialJSONObject): ILocalItem | null => {
    const items = localItems(context, args);
    return items.length === 1 && items[0].type === 'directory' ? items[0] : null;
  };
  const syncUp = commands.addCommand(CommandIDs.syncToEos, {
    label: paletteLabel(trans, trans.__('Sync Folder to EOS…')),
    caption: trans.__('Make an EOS folder hold what this folder holds (by size and modification time)'),
    describedBy: localArgs,
    isEnabled: args => localFolder(args) !== null,
    execute: async args => {
      const item = localFolder(args);
      if (!item) {
        return;
      }
      const source = item.path.replace(/\/+$/, '');
      const name = lastSegment(source);
      let destination: string | null;
      if (typeof args.destination === 'string') {
        const parsed = parseEosFolder(args.destination, context);
        destination = 'folder' in parsed ? parsed.folder : null;
        if ('problem' in parsed) {
          Notification.error(parsed.problem, { autoClose: 8000 });
        }
      } else {
        destination = await askEosFolder(context, {
          title: trans.__('Sync Folder to EOS'),
          label: trans.__('EOS folder that will mirror %1', name),
          value: `${await lastFolder(context)}${name}/`,
          accept: trans.__('Preview')
        });
      }
      if (destination !== null) {
        await sync(context, { source, destination });
      }
    }
  });

  const download = commands.addCommand(CommandIDs.downloadHere, {
    label: paletteLabel(trans, trans.__('Download to Current Folder')),
    caption: trans.__("Copy the selected EOS items into the file browser's current folder"),
    icon: downloadIcon,
    describedBy: uriArgs(trans.__('The e:// URIs to download; the selection by default')),
    isEnabled: args => context.local !== null && targetsOf(model, args).some(t => !t.isRoot),
    execute: async args => {
      const local = context.local;
      const sources = targetsOf(model, args)
        .filter(t => !t.isRoot)
        .map(t => t.uri);
      if (!local || sources.length === 0) {
        return;
      }
      await transfer(context, { kind: 'download', sources, destination: local.path, conflict: 'ask' });
    }
  });

  const eosFolder = (args: ReadonlyPartialJSONObject) => {
    const targets = targetsOf(model, args);
    return targets.length === 1 && targets[0].kind === 'folder' && folderOf(targets[0]) ? targets[0] : null;
  };
  const syncDown = commands.addCommand(CommandIDs.syncToLocal, {
    label: paletteLabel(trans, trans.__('Sync to Local Folder…')),
    caption: trans.__('Make a local folder hold what this EOS folder holds (by size and modification time)'),
    describedBy: {
      args: {
        type: 'object' as const,
        properties: {
          ...uriArgs('').args.properties,
          destination: { type: 'string' as const, description: trans.__('The local folder; asked for by default') }
        }
      }
    },
    isEnabled: args => context.local !== null && eosFolder(args) !== null,
    execute: async args => {
      const target = eosFolder(args);
      const local = context.local;
      if (!target || !local) {
        return;
      }
      const name = target.name || lastSegment(target.uri);
      let destination: string | null;
      if (typeof args.destination === 'string') {
        const problem = localFolderProblem(args.destination, context);
        if (problem) {
          Notification.error(problem, { autoClose: 8000 });
          return;
        }
        destination = args.destination;
      } else {
        destination = await askName({
          title: trans.__('Sync to Local Folder'),
          label: trans.__('Local folder (relative to the Jupyter root) that will mirror %1', target.uri),
          value: local.path === '' ? name : `${local.path}/${name}`,
          accept: trans.__('Preview'),
          validate: value => localFolderProblem(value, context),
          trans
        });
      }
      if (destination !== null) {
        await sync(context, { source: target.uri, destination: destination.replace(/^\/+|\/+$/g, '') });
      }
    }
  });

  return [upload, syncUp, download, syncDown];
}

/** The transfer commands the palette lists under "EOS". */
export const TRANSFER_PALETTE_COMMANDS: readonly string[] = [
  CommandIDs.uploadToEos,
  CommandIDs.syncToEos,
  CommandIDs.downloadHere,
  CommandIDs.syncToLocal
];
