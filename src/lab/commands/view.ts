/**
 * Commands that show things: properties, refresh, refresh all, go to.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { infoIcon, refreshIcon, searchIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import type { Widget } from '@lumino/widgets';

import { Routes, StatResponse } from '../../core';
import { contentRows, propertiesBody, propertyRows } from '../dialogs/properties';
import { notifyError } from '../errors';
import { CommandIDs } from '../tokens';
import { ICommandContext, copyText, folderOf, paletteLabel, targetsOf, uriArgs } from './context';
import { pythonSnippet } from './copy';

/** Where `eos:go-to` finds the panel. */
export interface IViewOptions {
  shell?: { activateById(id: string): void };
  panel?: Widget;
}

/** Register the properties, refresh, refresh-all and go-to commands. */
export function addViewCommands(
  commands: CommandRegistry,
  context: ICommandContext,
  options: IViewOptions
): IDisposable[] {
  return [
    addPropertiesCommand(commands, context),
    ...addRefreshCommands(commands, context),
    addGoToCommand(commands, context, options)
  ];
}

/** Show the properties of the one item `uri` names, fetching them (and a folder's contents). */
async function showProperties(context: ICommandContext, uri: string, title: string): Promise<void> {
  const { model, trans } = context;
  let stat: StatResponse;
  try {
    stat = await context.request(Routes.stat, { query: { uri } });
  } catch (reason) {
    notifyError(reason, trans, trans.__('Cannot read the properties'));
    return;
  }
  const copy = (text: string, label: string) => {
    void copyText(text).then(() => Notification.success(trans.__('Copied %1', label), { autoClose: 3000 }));
  };
  const rows = propertyRows(stat, model.context, pythonSnippet, trans);
  // A folder's object count and total size: the count delete uses, shown when it arrives.
  const contents =
    stat.kind === 'folder'
      ? context.request(Routes.count, { body: { uris: [stat.uri] } }).then(count => contentRows(count, trans))
      : undefined;
  await showDialog({
    title: trans.__('Properties of %1', title),
    body: propertiesBody({ rows, contents, copy, trans }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}

/** "Properties": size, dates, storage class, metadata and URIs of one item. */
function addPropertiesCommand(commands: CommandRegistry, context: ICommandContext): IDisposable {
  const { model, trans } = context;
  return commands.addCommand(CommandIDs.properties, {
    label: paletteLabel(trans, trans.__('Properties')),
    caption: trans.__('Show the size, dates, storage class, metadata and URIs of the selected EOS item'),
    icon: infoIcon,
    describedBy: uriArgs(trans.__('The e:// URI to describe; the selection by default')),
    isEnabled: args => targetsOf(model, args).length === 1,
    execute: async args => {
      const targets = targetsOf(model, args);
      if (targets.length === 1) {
        await showProperties(context, targets[0].uri, targets[0].name || targets[0].uri);
      }
    }
  });
}

/** "Refresh" (the selected items' folders, or everything) and "Refresh All". */
function addRefreshCommands(commands: CommandRegistry, context: ICommandContext): IDisposable[] {
  const { model, trans } = context;
  const refreshAll = async () => {
    const all = (model as { refreshAll?: () => Promise<void> }).refreshAll;
    await (all ? all.call(model) : model.refresh());
  };
  const refresh = commands.addCommand(CommandIDs.refresh, {
    label: paletteLabel(trans, trans.__('Refresh')),
    caption: trans.__('List the folder of the selected EOS item again (every folder when nothing is selected)'),
    icon: refreshIcon,
    describedBy: uriArgs(
      trans.__("The e:// URI to list again (an object's folder for an object); the selection by default")
    ),
    isEnabled: () => true,
    execute: async args => {
      const targets = targetsOf(model, args);
      if (targets.length === 0) {
        await refreshAll();
        return;
      }
      // An object's folder is listed once however many of its objects are selected.
      const folders = new Set(targets.map(t => folderOf(t) ?? t.uri));
      await Promise.all([...folders].map(uri => model.refresh(uri)));
    }
  });
  const all = commands.addCommand(CommandIDs.refreshAll, {
    label: paletteLabel(trans, trans.__('Refresh All')),
    caption: trans.__('List every open EOS folder again'),
    icon: refreshIcon,
    isEnabled: () => true,
    execute: refreshAll
  });
  return [refresh, all];
}

/** "Go to Location…": the EOS panel in front, its path bar ready to be typed in. */
function addGoToCommand(commands: CommandRegistry, context: ICommandContext, options: IViewOptions): IDisposable {
  const { trans } = context;
  return commands.addCommand(CommandIDs.goTo, {
    label: paletteLabel(trans, trans.__('Go to Location…')),
    caption: trans.__('Type an e:// or s3:// location to open it in the EOS panel'),
    icon: searchIcon,
    isEnabled: () => options.panel !== undefined,
    execute: () => {
      const panel = options.panel;
      if (!panel) {
        return;
      }
      options.shell?.activateById(panel.id);
      (panel as { focusPathBar?: () => void }).focusPathBar?.();
    }
  });
}
