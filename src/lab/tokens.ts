/**
 * Tokens and command ids other plugins can rely on.
 */
import { Token } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import type { EosBrowserModel } from './model';

/** The EOS sidebar browser. */
export interface IEosBrowser {
  /** The tree state: roots, loaded folders, selection. */
  readonly model: EosBrowserModel;
  /** The sidebar panel (activate it with `app.shell.activateById(panel.id)`). */
  readonly panel: Widget;
}

/** The EOS browser token. */
export const IEosBrowser = new Token<IEosBrowser>(
  'jupyterlab-eos:IEosBrowser',
  'The EOS sidebar browser: its tree model (loaded folders, selection) and its panel, for plugins that add commands acting on EOS items.'
);

/** The ids of the extension's commands. */
export namespace CommandIDs {
  /** Copy the selected item's `e://` URI. */
  export const copyUri = 'eos:copy-uri';
  /** List the selected item's folder again; every root when nothing is selected. */
  export const refresh = 'eos:refresh';
}
