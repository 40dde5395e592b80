/**
 * What the transfer commands and drops work with: JupyterLab's file browser
 * as they see it, the state kept across reloads and the Transfers panel.
 */
import type { IStateDB } from '@jupyterlab/statedb';

import { IEosDropActions } from '../../tokens';
import { ICommandContext } from '../context';

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

/** What the transfer commands work with. */
export interface ITransferContext extends ICommandContext {
  /** JupyterLab's file browser; null when there is none. */
  local: ILocalBrowser | null;
  /** Keeps the last EOS destination across reloads. */
  state: Pick<IStateDB, 'fetch' | 'save'> | null;
  /** The transfers panel's actions, when it is there. */
  actions: IEosDropActions | null;
}
