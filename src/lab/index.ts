/**
 * jupyterlab-eos: browse Gencove Explorer EOS (`e://`) data from JupyterLab.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { transferPlugin } from './dnd';
import { browserPlugin } from './plugins';

export * from './tokens';

const plugins: JupyterFrontEndPlugin<any>[] = [browserPlugin, transferPlugin];

export default plugins;
