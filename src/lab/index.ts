/**
 * jupyterlab-eos: browse Gencove Explorer EOS (`e://`) data from JupyterLab.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { transferPlugin } from './dnd';
import { codeDropPlugin } from './dnd/codeplugin';
import { browserPlugin, commandsPlugin, transfersPlugin } from './plugins';
import { openPlugin } from './open/plugin';
import { diskPlugin } from './disk/plugin';

export * from './tokens';
export type { ILocalFile } from './transfers/computer';

/** One plugin per concern; each id is what `--disable`, settings and the status bar know it by. */
const plugins: JupyterFrontEndPlugin<any>[] = [
  browserPlugin, // jupyterlab-eos:plugin: the EOS panel, its model, the settings (schema/plugin.json)
  commandsPlugin, // jupyterlab-eos:commands: the commands acting on EOS items
  transfersPlugin, // jupyterlab-eos:transfers: the Transfers panel, status item, uploads from the computer
  transferPlugin, // jupyterlab-eos:transfer: drag and drop, and the transfer commands
  openPlugin, // jupyterlab-eos:open: EOS files in JupyterLab's viewers, Peek (schema/open.json)
  diskPlugin, // jupyterlab-eos:disk: the local disk gauge and the free-up-space view
  codeDropPlugin // jupyterlab-eos:code-drop: EOS items dropped on code become File(path_e=...) there
];

export default plugins;
