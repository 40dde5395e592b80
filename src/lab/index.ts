/**
 * jupyterlab-eos: browse Gencove Explorer EOS (`e://`) data from JupyterLab.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { transferPlugin } from './dnd';
import { browserPlugin, transfersPlugin } from './plugins';
import { openPlugin } from './open/plugin';

export * from './tokens';
export type { ILocalFile } from './transfers/computer';

const plugins: JupyterFrontEndPlugin<any>[] = [browserPlugin, transfersPlugin, transferPlugin, openPlugin];

export default plugins;
