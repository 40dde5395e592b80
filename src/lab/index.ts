/**
 * jupyterlab-eos: browse Gencove Explorer EOS (`e://`) data from JupyterLab.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { browserPlugin, transfersPlugin } from './plugins';

export * from './tokens';
export type { ILocalFile } from './transfers/computer';

const plugins: JupyterFrontEndPlugin<any>[] = [browserPlugin, transfersPlugin];

export default plugins;
