/**
 * The commands "Upload to EOS…", "Sync folder to EOS…", "Download to current
 * folder", "Sync to local folder…" and "Sync to EOS folder…": each takes its
 * items from its arguments or the selection, asks for the destination unless
 * given, and runs a workflow.
 */
import { Notification } from '@jupyterlab/apputils';
import { downloadIcon, fileUploadIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';

import { lastSegment } from '../../../core';
import { askName } from '../../dialogs/name';
import { CommandIDs } from '../../tokens';
import { ITarget, folderOf, paletteLabel, targetsOf, uriArgs } from '../context';
import { ILocalItem, ITransferContext } from './context';
import { askEosFolder, lastFolder, localFolderProblem, parseEosFolder } from './destination';
import { itemsLabel, sync, transfer } from './workflows';

/** The transfer commands the palette lists under "EOS". */
export const TRANSFER_PALETTE_COMMANDS: readonly string[] = [
  CommandIDs.uploadToEos,
  CommandIDs.syncToEos,
  CommandIDs.downloadHere,
  CommandIDs.syncToLocal,
  CommandIDs.syncToEosFolder
];

/** Register the transfer commands. */
export function addTransferCommands(commands: CommandRegistry, context: ITransferContext): IDisposable[] {
  return [
    addUploadCommand(commands, context),
    addSyncToEosCommand(commands, context),
    addDownloadHereCommand(commands, context),
    addSyncToLocalCommand(commands, context),
    addSyncToEosFolderCommand(commands, context)
  ];
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

/** The one local folder a command acts on, or null. */
function localFolder(context: ITransferContext, args: ReadonlyPartialJSONObject): ILocalItem | null {
  const items = localItems(context, args);
  return items.length === 1 && items[0].type === 'directory' ? items[0] : null;
}

/** The one EOS folder a command acts on, or null. */
function eosFolder(context: ITransferContext, args: ReadonlyPartialJSONObject): ITarget | null {
  const targets = targetsOf(context.model, args);
  return targets.length === 1 && targets[0].kind === 'folder' && folderOf(targets[0]) ? targets[0] : null;
}

/** The arguments of the commands that act on local items. */
function localArgs(context: ITransferContext) {
  const { trans } = context;
  return {
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
}

/** The arguments of the commands that sync an EOS folder: its URI, and where to (`destination`). */
function eosFolderArgs(destination: string) {
  return {
    args: {
      type: 'object' as const,
      properties: {
        ...uriArgs('').args.properties,
        destination: { type: 'string' as const, description: destination }
      }
    }
  };
}

/**
 * The EOS folder of a `destination` argument (a refused one is said in a
 * notification: null), or the one the user gives in the folder dialog.
 */
async function eosDestination(
  context: ITransferContext,
  args: ReadonlyPartialJSONObject,
  dialog: () => Promise<Parameters<typeof askEosFolder>[1]>
): Promise<string | null> {
  if (typeof args.destination !== 'string') {
    return askEosFolder(context, await dialog());
  }
  const parsed = parseEosFolder(args.destination, context);
  if ('problem' in parsed) {
    Notification.error(parsed.problem, { autoClose: 8000 });
    return null;
  }
  return parsed.folder;
}

/** "Upload to EOS…": the selected local items into an EOS folder. */
function addUploadCommand(commands: CommandRegistry, context: ITransferContext): IDisposable {
  const { trans } = context;
  return commands.addCommand(CommandIDs.uploadToEos, {
    label: paletteLabel(trans, trans.__('Upload to EOS…')),
    caption: trans.__('Copy the selected files and folders of the file browser to an EOS folder'),
    icon: fileUploadIcon,
    describedBy: localArgs(context),
    isEnabled: args => localItems(context, args).length > 0,
    execute: async args => {
      const items = localItems(context, args);
      if (items.length === 0) {
        return;
      }
      const sources = items.map(item => item.path.replace(/\/+$/, ''));
      const destination = await eosDestination(context, args, async () => ({
        title: trans.__('Upload to EOS'),
        label: trans.__('EOS folder to upload %1 into', itemsLabel(sources, context)),
        value: await lastFolder(context),
        accept: trans.__('Upload')
      }));
      if (destination !== null) {
        await transfer(context, { kind: 'upload', sources, destination, conflict: 'ask' });
      }
    }
  });
}

/** "Sync Folder to EOS…": one local folder mirrored in an EOS folder, after a preview. */
function addSyncToEosCommand(commands: CommandRegistry, context: ITransferContext): IDisposable {
  const { trans } = context;
  return commands.addCommand(CommandIDs.syncToEos, {
    label: paletteLabel(trans, trans.__('Sync Folder to EOS…')),
    caption: trans.__('Make an EOS folder hold what this folder holds (by size and modification time)'),
    describedBy: localArgs(context),
    isEnabled: args => localFolder(context, args) !== null,
    execute: async args => {
      const item = localFolder(context, args);
      if (!item) {
        return;
      }
      const source = item.path.replace(/\/+$/, '');
      const name = lastSegment(source);
      const destination = await eosDestination(context, args, async () => ({
        title: trans.__('Sync Folder to EOS'),
        label: trans.__('EOS folder that will mirror %1', name),
        value: `${await lastFolder(context)}${name}/`,
        accept: trans.__('Preview')
      }));
      if (destination !== null) {
        await sync(context, { source, destination });
      }
    }
  });
}

/** "Download to Current Folder": the selected EOS items into the file browser's folder. */
function addDownloadHereCommand(commands: CommandRegistry, context: ITransferContext): IDisposable {
  const { model, trans } = context;
  return commands.addCommand(CommandIDs.downloadHere, {
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
}

/** "Sync to Local Folder…": one EOS folder mirrored in a local folder, after a preview. */
function addSyncToLocalCommand(commands: CommandRegistry, context: ITransferContext): IDisposable {
  const { trans } = context;
  return commands.addCommand(CommandIDs.syncToLocal, {
    label: paletteLabel(trans, trans.__('Sync to Local Folder…')),
    caption: trans.__('Make a local folder hold what this EOS folder holds (by size and modification time)'),
    describedBy: eosFolderArgs(trans.__('The local folder; asked for by default')),
    isEnabled: args => context.local !== null && eosFolder(context, args) !== null,
    execute: async args => {
      const target = eosFolder(context, args);
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
}

/** "Sync to EOS Folder…": one EOS folder mirrored in another, after a preview; the service copies server-side. */
function addSyncToEosFolderCommand(commands: CommandRegistry, context: ITransferContext): IDisposable {
  const { trans } = context;
  return commands.addCommand(CommandIDs.syncToEosFolder, {
    label: paletteLabel(trans, trans.__('Sync to EOS Folder…')),
    caption: trans.__('Make another EOS folder hold what this EOS folder holds (copied within EOS)'),
    describedBy: eosFolderArgs(trans.__('The e:// folder; asked for by default')),
    isEnabled: args => eosFolder(context, args) !== null,
    execute: async args => {
      const source = eosFolder(context, args);
      if (!source) {
        return;
      }
      const name = source.name || lastSegment(source.uri);
      const destination = await eosDestination(context, args, async () => ({
        title: trans.__('Sync to EOS Folder'),
        label: trans.__('EOS folder that will mirror %1', source.uri),
        value: `${await lastFolder(context)}${name}/`,
        accept: trans.__('Preview')
      }));
      if (destination !== null) {
        await sync(context, { source: source.uri, destination });
      }
    }
  });
}
