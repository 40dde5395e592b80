/**
 * `eos:open`, `eos:open-with`, `eos:peek`, `eos:new-file`, `eos:new-notebook`:
 * EOS objects in JupyterLab's own editors and viewers (through the EOS
 * drive), and Peek for files too big to open.
 */
import { Dialog, MainAreaWidget, showDialog } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, fileIcon, notebookIcon, searchIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { DisposableSet, IDisposable } from '@lumino/disposable';

import { Routes, S3_SCHEME } from '../../core';
import { ICommandContext, ITarget, folderOf, isWritable, paletteLabel, targetsOf, uriArgs } from '../commands/context';
import { formatSize } from '../components/format';
import { notifyError } from '../errors';
import { CommandIDs } from '../tokens';
import { EosDrive } from './drive';
import { opensInPeek } from './formats';
import { createPeekWidget } from './peek';

/** What the open commands need besides the command context. */
export interface IOpenOptions {
  docManager: IDocumentManager;
  /** Objects above this many bytes are not opened. */
  limit: () => number;
  /** Records Peek shows first. */
  records: () => number;
  /** Puts a Peek view in the main area. */
  addToMainArea: (widget: MainAreaWidget) => void;
}

/** What the functions below share: the registry, the command context and the open options. */
interface IOpenScope {
  commands: CommandRegistry;
  context: ICommandContext;
  options: IOpenOptions;
}

/** Register the open commands. */
export function addOpenCommands(
  commands: CommandRegistry,
  context: ICommandContext,
  options: IOpenOptions
): IDisposable {
  const scope: IOpenScope = { commands, context, options };
  const set = new DisposableSet();
  [addOpenCommand(scope), addOpenWithCommand(scope), addPeekCommand(scope), ...addNewCommands(scope)].forEach(d =>
    set.add(d)
  );
  return set;
}

/** The objects a command acts on: its `uri`/`uris` arguments, else the selection. */
function objectsOf(scope: IOpenScope, args: ReadonlyPartialJSONObject): ITarget[] {
  return targetsOf(scope.context.model, args).filter(t => t.kind === 'object');
}

/** Show the first records of the object at `uri` in the main area. */
function peekAt(scope: IOpenScope, uri: string): void {
  const { context, options } = scope;
  const widget = createPeekWidget({
    uri,
    records: options.records(),
    head: query => context.request(Routes.head, { query }),
    trans: context.trans
  });
  options.addToMainArea(widget);
}

/** Open one object with `factory` (its default without), or offer Download / Peek when it is too big. */
async function openTarget(scope: IOpenScope, target: ITarget, factory?: string): Promise<void> {
  const { commands, context, options } = scope;
  // Compressed and binary genomics files have no viewer in JupyterLab (the editor would refuse
  // their bytes); Peek reads only their first ranges, so their size does not matter. Objects of
  // an S3 location outside EOS are not on the EOS drive: they open in Peek too.
  if ((factory === undefined && opensInPeek(target.name)) || target.uri.startsWith(S3_SCHEME)) {
    peekAt(scope, target.uri);
    return;
  }
  const size = context.model.node(target.uri)?.size ?? null;
  const limit = options.limit();
  if (size !== null && size > limit) {
    const answer = await tooBig(context.trans, target.name, size, limit);
    if (answer === 'peek') {
      peekAt(scope, target.uri);
    } else if (answer === 'download') {
      await commands.execute(CommandIDs.downloadHere, { uris: [target.uri] });
    }
    return;
  }
  options.docManager.openOrReveal(EosDrive.pathOf(target.uri), factory);
}

/** "Open": the selected objects in their default viewers. */
function addOpenCommand(scope: IOpenScope): IDisposable {
  const { trans } = scope.context;
  return scope.commands.addCommand(CommandIDs.open, {
    label: paletteLabel(trans, trans.__('Open')),
    caption: trans.__('Open the selected EOS files in JupyterLab'),
    icon: fileIcon,
    describedBy: uriArgs(trans.__('The e:// URIs of the objects; the selection by default')),
    isEnabled: args => objectsOf(scope, args).length > 0,
    execute: async args => {
      for (const target of objectsOf(scope, args)) {
        await openTarget(scope, target);
      }
    }
  });
}

/** "Open With…": one object in the viewer or editor named by `factory`. */
function addOpenWithCommand(scope: IOpenScope): IDisposable {
  const { trans } = scope.context;
  return scope.commands.addCommand(CommandIDs.openWith, {
    label: args => (typeof args.label === 'string' ? args.label : trans.__('Open With…')),
    caption: trans.__('Open the selected EOS file with this viewer'),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          factory: { type: 'string', description: trans.__('The widget factory (viewer or editor) name') },
          label: { type: 'string', description: trans.__('The menu label') },
          uri: { type: 'string', description: trans.__('The e:// URI; the selection by default') }
        }
      }
    },
    isEnabled: args => objectsOf(scope, args).length === 1,
    execute: async args => {
      const [target] = objectsOf(scope, args);
      if (target) {
        await openTarget(scope, target, typeof args.factory === 'string' ? args.factory : undefined);
      }
    }
  });
}

/** "Peek": the first records of one object, without downloading it. */
function addPeekCommand(scope: IOpenScope): IDisposable {
  const { trans } = scope.context;
  return scope.commands.addCommand(CommandIDs.peek, {
    label: paletteLabel(trans, trans.__('Peek')),
    caption: trans.__('Show the first records of the selected EOS file without downloading it'),
    icon: searchIcon,
    describedBy: uriArgs(trans.__('The e:// URI of the object; the selection by default')),
    isEnabled: args => objectsOf(scope, args).length === 1,
    execute: args => {
      const [target] = objectsOf(scope, args);
      if (target) {
        peekAt(scope, target.uri);
      }
    }
  });
}

/** The folder new files go in, if the user may write there. */
function folderFor(model: ICommandContext['model'], args: ReadonlyPartialJSONObject): string | null {
  const targets = targetsOf(model, args);
  if (targets.length !== 1) {
    return null;
  }
  const uri = folderOf(targets[0]);
  const folder = uri === null ? null : targetsOf(model, { uri })[0];
  return folder && isWritable(folder, model.context) && !folder.uri.endsWith('://') ? folder.uri : null;
}

/** Create an untitled file or notebook in the folder `args` name, and open it. */
async function createIn(scope: IOpenScope, type: 'file' | 'notebook', args: ReadonlyPartialJSONObject) {
  const { context, options } = scope;
  const folder = folderFor(context.model, args);
  if (folder === null) {
    return;
  }
  try {
    const created = await options.docManager.newUntitled({
      path: EosDrive.pathOf(folder),
      type,
      ext: type === 'file' ? '.txt' : undefined
    });
    await context.model.refresh(folder);
    options.docManager.open(created.path, 'default', type === 'notebook' ? {} : undefined);
  } catch (reason) {
    notifyError(reason, context.trans, context.trans.__('Cannot create a file in %1', folder));
  }
}

/** "New File" and "New Notebook" in the selected EOS folder. */
function addNewCommands(scope: IOpenScope): IDisposable[] {
  const { model, trans } = scope.context;
  const kinds = [
    {
      id: CommandIDs.newFile,
      type: 'file' as const,
      label: paletteLabel(trans, trans.__('New File')),
      caption: trans.__('Create an untitled text file in the selected EOS folder and open it'),
      icon: addIcon
    },
    {
      id: CommandIDs.newNotebook,
      type: 'notebook' as const,
      label: paletteLabel(trans, trans.__('New Notebook')),
      caption: trans.__('Create an untitled notebook in the selected EOS folder and open it'),
      icon: notebookIcon
    }
  ];
  return kinds.map(kind =>
    scope.commands.addCommand(kind.id, {
      label: kind.label,
      caption: kind.caption,
      icon: kind.icon,
      describedBy: uriArgs(trans.__('The folder (or an object in it); the selection by default')),
      isEnabled: args => folderFor(model, args) !== null,
      execute: args => createIn(scope, kind.type, args)
    })
  );
}

/** Ask what to do with an object too big to open: `download`, `peek`, or null. */
async function tooBig(
  trans: TranslationBundle,
  name: string,
  size: number,
  limit: number
): Promise<'download' | 'peek' | null> {
  const result = await showDialog({
    title: trans.__('File too large to open'),
    body: trans.__(
      '%1 is %2, above the %3 limit for opening EOS files in JupyterLab (setting "Open size limit"). Download it to the current folder, or peek into its first records?',
      name,
      formatSize(size),
      formatSize(limit)
    ),
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: trans.__('Download to Current Folder'), actions: ['download'] }),
      Dialog.okButton({ label: trans.__('Peek'), actions: ['peek'] })
    ]
  });
  const actions = result.button.actions;
  return actions.includes('peek') ? 'peek' : actions.includes('download') ? 'download' : null;
}
