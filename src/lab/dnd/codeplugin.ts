/**
 * The plugin that turns EOS items dropped on code into code (see `code.ts`).
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import type { Widget } from '@lumino/widgets';

import { parseUri, shareableUri } from '../../core';
import { IEosBrowser } from '../tokens';
import { CodeDrop, IDropTerminal } from './code';

/** What a terminal's main-area widget holds, as far as typing into it goes (`@jupyterlab/terminal`'s `Terminal`). */
interface ITerminalContent {
  node: HTMLElement;
  session: { send(message: { type: 'stdin'; content: string[] }): void };
}

/** The terminal widget drawn at `target` among the shell's widgets, if any. */
export function terminalAt(shell: JupyterFrontEnd.IShell, target: Element): IDropTerminal | null {
  for (const area of ['main', 'down'] as const) {
    for (const widget of shell.widgets(area)) {
      const content = (widget as Widget & { content?: Partial<ITerminalContent> }).content;
      if (
        content?.node?.classList.contains('jp-Terminal') &&
        typeof content.session?.send === 'function' &&
        content.node.contains(target)
      ) {
        const { node, session } = content as ITerminalContent;
        return {
          node,
          type: text => {
            session.send({ type: 'stdin', content: [text] });
            shell.activateById(widget.id);
          }
        };
      }
    }
  }
  return null;
}

/** EOS items dropped on a notebook cell, a console, a file editor or a terminal become code there. */
export const codeDropPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-eos:code-drop',
  description:
    'Inserts File(path_e="e://…") where EOS items are dropped on a notebook cell, a console or a Python file, and the quoted e:// URIs on a terminal.',
  autoStart: true,
  requires: [IEosBrowser],
  activate: (app: JupyterFrontEnd, eos: IEosBrowser): void => {
    new CodeDrop({
      shareable: uri => {
        const context = eos.model.context;
        // Before `whoami` answers, the `me` form: it names the same object for its owner.
        return context ? shareableUri(parseUri(uri), context) : uri;
      },
      terminalAt: target => terminalAt(app.shell, target)
    });
  }
};
