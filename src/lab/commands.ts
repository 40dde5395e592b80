/**
 * Commands acting on EOS items. Menus and context menus that show them are
 * declared in schema/plugin.json.
 */
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon, refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';

import { EosBrowserModel } from './model';
import { CommandIDs } from './tokens';

/** Copy text to the system clipboard, falling back when the async API is unavailable or refused. */
export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // Not a secure context, or permission denied: use the copy event below.
  }
  Clipboard.copyToSystem(text);
}

/** The URI a command acts on: its `uri` argument, else the selected item's. */
function targetUri(model: EosBrowserModel, args: { uri?: unknown }): string | null {
  return typeof args.uri === 'string' ? args.uri : (model.selected?.uri ?? null);
}

/** The schema of a command's arguments: an optional `uri`. */
function uriArgs(description: string) {
  return { args: { type: 'object' as const, properties: { uri: { type: 'string' as const, description } } } };
}

/** Register the EOS commands; dispose the result to remove them. */
export function addCommands(commands: CommandRegistry, model: EosBrowserModel, trans: TranslationBundle): IDisposable {
  const copyUri = commands.addCommand(CommandIDs.copyUri, {
    label: trans.__('Copy EOS URI'),
    caption: trans.__('Copy the e:// URI of the selected EOS item to the clipboard'),
    icon: copyIcon,
    describedBy: uriArgs(trans.__('The e:// URI to copy; the selected item by default')),
    isEnabled: args => targetUri(model, args) !== null,
    execute: async args => {
      const uri = targetUri(model, args);
      if (uri === null) {
        return;
      }
      await copyText(uri);
      Notification.success(trans.__('Copied %1', uri), { autoClose: 3000 });
    }
  });

  const refresh = commands.addCommand(CommandIDs.refresh, {
    label: trans.__('Refresh'),
    caption: trans.__('List the folder of the selected EOS item again (every folder when nothing is selected)'),
    icon: refreshIcon,
    describedBy: uriArgs(trans.__("The e:// URI to list again (an object's folder for an object); the selection by default")),
    isEnabled: () => true,
    execute: async args => {
      await model.refresh(targetUri(model, args) ?? undefined);
    }
  });

  const onChanged = (_: EosBrowserModel, change: EosBrowserModel.IChange) => {
    if (change.type === 'selection') {
      commands.notifyCommandChanged(CommandIDs.copyUri);
    }
  };
  model.changed.connect(onChanged);
  let isDisposed = false;
  return {
    get isDisposed() {
      return isDisposed;
    },
    dispose() {
      isDisposed = true;
      model.changed.disconnect(onChanged);
      copyUri.dispose();
      refresh.dispose();
    }
  };
}
