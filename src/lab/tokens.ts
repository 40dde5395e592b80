/**
 * Tokens and command ids other plugins can rely on.
 */
import { Token } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import type { EosBrowserModel } from './model';
import type { EosSettings } from './settings';

/** The EOS sidebar browser. */
export interface IEosBrowser {
  /** The tree state: roots, loaded folders, selection. */
  readonly model: EosBrowserModel;
  /** The sidebar panel (activate it with `app.shell.activateById(panel.id)`). */
  readonly panel: Widget;
  /** The user's EOS settings, live from the Settings Editor. */
  readonly settings: EosSettings;
}

/** The EOS browser token. */
export const IEosBrowser = new Token<IEosBrowser>(
  'jupyterlab-eos:IEosBrowser',
  'The EOS sidebar browser: its tree model (loaded folders, selection) and its panel, for plugins that add commands acting on EOS items.'
);

/** The ids of the extension's commands (`eos:verb-noun`). */
export namespace CommandIDs {
  /** Copy the selected items' `e://` URIs, one per line. */
  export const copyUri = 'eos:copy-uri';
  /** Copy the shareable URIs (`me` replaced by the user id). */
  export const copyShareableUri = 'eos:copy-shareable-uri';
  /** Copy the `s3://` URIs. */
  export const copyS3Uri = 'eos:copy-s3-uri';
  /** Copy `File(path_e="...")` snippets (shareable form). */
  export const copyPython = 'eos:copy-python-snippet';
  /** Copy a presigned URL of the selected object. */
  export const copyPresignedUrl = 'eos:copy-presigned-url';
  /** Create a folder in the selected folder (or the selected object's folder). */
  export const newFolder = 'eos:new-folder';
  /** Rename or move the selected item (server-side). */
  export const rename = 'eos:rename';
  /** Delete the selected items after counting and confirming. */
  export const deleteItems = 'eos:delete';
  /** Show the selected item's properties. */
  export const properties = 'eos:properties';
  /** List the selected item's folder again (a row's Refresh). */
  export const refresh = 'eos:refresh';
  /** List every expanded folder again (the header's Refresh). */
  export const refreshAll = 'eos:refresh-all';
  /** Focus the path bar to type an `e://` or `s3://` location. */
  export const goTo = 'eos:go-to';
}
