/**
 * The note above a document opened from EOS: where it lives, read-only, and
 * the local folder its kernel runs in (the `kernelFolder` setting, which the
 * server follows when it starts the kernel: jupyterlab_eos/kernels.py).
 */
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { describeDocument } from '../open/plugin';

const trans = nullTranslator.load('jupyterlab_eos');

const docManager = {
  services: { contents: { localPath: (path: string) => path.replace(/^[^:/]+:/, '') } }
} as unknown as IDocumentManager;

/** A document widget as the opener hands it over, with a toolbar that keeps what is added. */
function documentAt(path: string, type: string, writable = true) {
  const added: Widget[] = [];
  const widget = {
    isDisposed: false,
    title: { caption: '' },
    context: { path, ready: Promise.resolve(), contentsModel: { type, writable } },
    toolbar: { addItem: (_: string, item: Widget) => added.push(item) }
  } as unknown as IDocumentWidget;
  return { widget, added };
}

async function noteOf(path: string, type: string, kernelFolder: string, writable = true): Promise<Widget | undefined> {
  const { widget, added } = documentAt(path, type, writable);
  describeDocument(widget, docManager, trans, kernelFolder);
  await Promise.resolve();
  await Promise.resolve();
  return added[0];
}

describe('the note on documents opened from EOS', () => {
  it('names the Jupyter root as the kernel folder when the setting is empty', async () => {
    const note = await noteOf('EOS:org/run-7/a.ipynb', 'notebook', '');
    expect(note?.node.textContent).toBe('EOS: e://org/run-7/a.ipynb · kernel in the Jupyter root');
  });

  it('names the configured kernel folder', async () => {
    const note = await noteOf('EOS:users/me/b.ipynb', 'notebook', 'work/eos/');
    expect(note?.node.textContent).toBe('EOS: e://users/me/b.ipynb · kernel in work/eos');
    expect(note?.node.title).toMatch(/The kernel runs in the local folder work\/eos: relative paths are local files/);
  });

  it('says nothing of kernels for other documents, and marks read-only ones', async () => {
    const note = await noteOf('EOS:gencove/panel.csv', 'file', 'work', false);
    expect(note?.node.textContent).toBe('EOS: e://gencove/panel.csv · read-only');
  });

  it('leaves local documents alone', async () => {
    expect(await noteOf('notebooks/c.ipynb', 'notebook', 'work')).toBeUndefined();
  });
});
