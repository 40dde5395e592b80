/**
 * The extension's icons.
 */
import { LabIcon } from '@jupyterlab/ui-components';

import eosSvg from '../../style/icons/eos.svg';

/** The EOS sidebar tab icon. */
export const eosIcon = new LabIcon({ name: 'jupyterlab-eos:eos', svgstr: eosSvg });
