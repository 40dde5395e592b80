/**
 * `eos:new-folder`: create a folder in the selected folder (or the selected
 * object's folder); `writableFolder` is that folder for other folder commands.
 */
import { Notification } from '@jupyterlab/apputils';
import { newFolderIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';

import { Entry, Routes } from '../../core';
import { askName, nameProblem } from '../dialogs/name';
import { notifyError } from '../errors';
import { ICommandContext, ITarget, folderOf, isWritable, paletteLabel, targetsOf, uriArgs } from './context';
import { CommandIDs, IEosBrowserModel } from '../tokens';

/** The one folder the command's target is (or is in), if the user may write there. */
export function writableFolder(model: IEosBrowserModel, args: ReadonlyPartialJSONObject): ITarget | null {
  const targets = targetsOf(model, args);
  if (targets.length !== 1) {
    return null;
  }
  const uri = folderOf(targets[0]);
  const folder = uri === null ? null : uri === targets[0].uri ? targets[0] : targetsOf(model, { uri })[0];
  return folder && isWritable(folder, model.context) ? folder : null;
}

/** Register `eos:new-folder`. */
export function addNewFolderCommand(commands: CommandRegistry, context: ICommandContext): IDisposable {
  const { model, trans } = context;
  const where = (args: ReadonlyPartialJSONObject) => writableFolder(model, args);

  return commands.addCommand(CommandIDs.newFolder, {
    label: paletteLabel(trans, trans.__('New Folder')),
    caption: trans.__('Create a folder in the selected EOS folder'),
    icon: newFolderIcon,
    describedBy: uriArgs(trans.__('The folder (or an object in it) to create the folder in; the selection by default')),
    isEnabled: args => where(args) !== null,
    execute: async args => {
      const folder = where(args);
      if (!folder) {
        return;
      }
      const name = await askName({
        title: trans.__('New Folder'),
        label: trans.__('Name of the new folder in %1', folder.uri),
        value: '',
        accept: trans.__('Create'),
        validate: value => nameProblem(value, trans),
        trans
      });
      if (name === null) {
        return;
      }
      let entry: Entry;
      try {
        entry = await context.request(Routes.mkdir, { body: { uri: `${folder.uri}${name}/` } });
      } catch (reason) {
        notifyError(reason, trans, trans.__('Cannot create folder "%1"', name));
        return;
      }
      await model.refresh(folder.uri);
      await model.expand(folder.uri);
      model.select(entry.uri);
      Notification.success(trans.__('Created %1', entry.uri), { autoClose: 3000 });
    }
  });
}
