/**
 * `eos:add-s3-location` and `eos:remove-s3-location` (issue 17): S3
 * locations outside EOS, kept in the settings (`s3Locations`), shown as
 * read-only roots that browse, peek, download and copy into EOS like the others.
 */
import { Notification } from '@jupyterlab/apputils';
import { addIcon, closeIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';

import { S3LocationSpec } from '../../core';
import { askS3Location } from '../dialogs/s3location';
import { CommandIDs, IEosBrowserModel } from '../tokens';
import { ICommandContext, paletteLabel, targetsOf, uriArgs } from './context';

/** The added location the command's target is (a location root), if any. */
function locationOf(context: ICommandContext, args: ReadonlyPartialJSONObject): S3LocationSpec | null {
  const targets = targetsOf(context.model, args);
  if (targets.length !== 1) {
    return null;
  }
  return context.settings.values.s3Locations.find(l => l.uri === targets[0].uri) ?? null;
}

/** Wait until the tree shows `uri` as a root (the service was told first); false after `ms`. */
function rootShown(model: IEosBrowserModel, uri: string, ms = 10000): Promise<boolean> {
  const shown = () => model.roots.some(root => root.uri === uri);
  if (shown()) {
    return Promise.resolve(true);
  }
  return new Promise(resolve => {
    const done = (result: boolean) => {
      clearTimeout(timer);
      model.sessionChanged.disconnect(check);
      resolve(result);
    };
    const check = () => shown() && done(true);
    const timer = setTimeout(() => done(false), ms);
    model.sessionChanged.connect(check);
  });
}

/** Register the two commands. */
export function addLocationCommands(commands: CommandRegistry, context: ICommandContext): IDisposable[] {
  const { model, settings, trans } = context;
  return [
    commands.addCommand(CommandIDs.addS3Location, {
      label: paletteLabel(trans, trans.__('Add S3 Location…')),
      caption: trans.__(
        'Show an S3 bucket or folder outside EOS (read-only): browse it, peek, download, copy into EOS'
      ),
      icon: addIcon,
      isEnabled: () => model.whoami !== null,
      execute: async () => {
        const added = await askS3Location(trans, model.context);
        if (added === null) {
          return;
        }
        const others = settings.values.s3Locations.filter(l => l.uri !== added.uri);
        settings.save({ s3Locations: [...others, added] });
        if (await rootShown(model, added.uri)) {
          await model.expand(added.uri); // a refusal shows under it
          await model.reveal(added.uri).catch(() => undefined);
        }
        Notification.success(trans.__('Added %1 (read-only)', added.uri), { autoClose: 3000 });
      }
    }),
    commands.addCommand(CommandIDs.removeS3Location, {
      label: paletteLabel(trans, trans.__('Remove S3 Location')),
      caption: trans.__('Stop showing the selected S3 location (nothing is deleted)'),
      icon: closeIcon,
      describedBy: uriArgs(trans.__('The S3 location root to remove; the selection by default')),
      isEnabled: args => locationOf(context, args) !== null,
      execute: args => {
        const location = locationOf(context, args);
        if (location !== null) {
          settings.save({ s3Locations: settings.values.s3Locations.filter(l => l.uri !== location.uri) });
        }
      }
    })
  ];
}
