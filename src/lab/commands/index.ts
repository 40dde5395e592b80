/**
 * Commands acting on EOS items. Menus, context menus and shortcuts that show
 * them are declared in schema/plugin.json; the palette items are added by the
 * plugin (`PALETTE_COMMANDS`).
 */
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { DisposableSet, IDisposable } from '@lumino/disposable';
import type { Widget } from '@lumino/widgets';

import { EosSettings } from '../settings';
import { CommandIDs, IEosBrowserModel } from '../tokens';
import { IJobs, makeContext } from './context';
import { addCopyCommands } from './copy';
import { addDeleteCommand } from './delete';
import { addDownloadCommand } from './download';
import { addNewFolderCommand } from './folder';
import { addImportUrlCommand } from './importurl';
import { addLocationCommands } from './locations';
import { addRenameCommand } from './move';
import { addViewCommands } from './view';

export { copyText } from './context';

/** The commands the palette lists under "EOS", in order. */
export const PALETTE_COMMANDS: readonly string[] = [
  CommandIDs.copyUri,
  CommandIDs.copyShareableUri,
  CommandIDs.copyS3Uri,
  CommandIDs.copyPython,
  CommandIDs.copyPresignedUrl,
  CommandIDs.downloadToComputer,
  CommandIDs.newFolder,
  CommandIDs.importUrl,
  CommandIDs.rename,
  CommandIDs.deleteItems,
  CommandIDs.properties,
  CommandIDs.refresh,
  CommandIDs.refreshAll,
  CommandIDs.goTo,
  CommandIDs.addS3Location,
  CommandIDs.removeS3Location
];

/** Register the EOS commands; dispose the result to remove them. */
export function addCommands(
  commands: CommandRegistry,
  model: IEosBrowserModel,
  trans: TranslationBundle,
  options: addCommands.IOptions = {}
): IDisposable {
  const context = makeContext(
    model,
    options.settings ?? new EosSettings(),
    trans,
    options.serverSettings,
    options.jobs
  );
  const set = new DisposableSet();
  [
    ...addCopyCommands(commands, context),
    addNewFolderCommand(commands, context),
    addImportUrlCommand(commands, context),
    addRenameCommand(commands, context),
    addDeleteCommand(commands, context),
    addDownloadCommand(commands, context),
    ...addLocationCommands(commands, context),
    ...addViewCommands(commands, context, { shell: options.shell, panel: options.panel })
  ].forEach(d => set.add(d));

  // The selection, a node's access or the session changes what is enabled.
  const notify = () => PALETTE_COMMANDS.forEach(id => commands.notifyCommandChanged(id));
  const onNode = (_: unknown, uri: string) => {
    if (model.selection.some(node => node.uri === uri)) {
      notify();
    }
  };
  model.selectionChanged.connect(notify);
  model.sessionChanged.connect(notify);
  model.nodeChanged.connect(onNode);
  set.add({
    isDisposed: false,
    dispose: () => {
      model.selectionChanged.disconnect(notify);
      model.sessionChanged.disconnect(notify);
      model.nodeChanged.disconnect(onNode);
    }
  });
  return set;
}

/** The namespace for `addCommands` statics. */
export namespace addCommands {
  /** What the commands need besides the model. */
  export interface IOptions {
    /** The user's settings (presigned URL lifetime, delete confirmation); the defaults otherwise. */
    settings?: EosSettings;
    /** The Jupyter server the service is reached through; the page's by default. */
    serverSettings?: ServerConnection.ISettings;
    /** Where `eos:go-to` activates the panel. */
    shell?: { activateById(id: string): void };
    /** The EOS panel, for `eos:go-to`. */
    panel?: Widget;
    /** The service's jobs, pushed: commands follow their jobs there (see `ICommandContext.jobs`). */
    jobs?: IJobs;
  }
}
