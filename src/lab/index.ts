/**
 * jupyterlab-eos: browse Gencove Explorer EOS (`e://`) data from JupyterLab.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { browserPlugin } from './plugins';

export * from './tokens';

const plugins: JupyterFrontEndPlugin<any>[] = [browserPlugin];

export default plugins;
