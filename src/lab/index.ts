/**
 * jupyterlab-eos: browse Gencove Explorer EOS (`e://`) data from JupyterLab.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { transferPlugin } from './dnd';
import { codeDropPlugin } from './dnd/codeplugin';
import { browserPlugin, transfersPlugin } from './plugins';
import { openPlugin } from './open/plugin';
// Disk gauge (issue 7)
import { diskPlugin } from './disk/plugin';

export * from './tokens';
export type { ILocalFile } from './transfers/computer';

const plugins: JupyterFrontEndPlugin<any>[] = [browserPlugin, transfersPlugin, transferPlugin, openPlugin, codeDropPlugin];
plugins.push(diskPlugin); // Disk gauge (issue 7)

export default plugins;
