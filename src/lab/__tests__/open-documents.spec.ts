/**
 * EOS documents in JupyterLab's document lifecycle: a save that changes
 * nothing writes nothing (File > Save still writes), `/lab/tree/EOS:...`
 * URLs open their document, and big compressed or binary
 * genomics files open in Peek.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { waitForDialog } from '@jupyterlab/testing';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { ContentsManager, ServerConnection } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { Routes } from '../../core';
import { followExplicitSaves } from '../open/documents';
import type { EosBrowserModel } from '../model';
import { EosDrive } from '../open/drive';
import { opensInPeek } from '../open/formats';
import { openPlugin } from '../open/plugin';
import { notebookForm } from '../open/unchanged';
import { browserPlugin } from '../plugins';
import { requestAPI } from '../request';
import { CommandIDs, IEosBrowser } from '../tokens';
import { FakeEos, object, until } from './fake';
import { FakeContent } from './fake-content';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const serverSettings = ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' });

/** A notebook as nbformat 4.4 tools write it: lists of lines, no cell ids, no kernel metadata. */
const STORED = {
  cells: [
    {
      cell_type: 'code',
      execution_count: 3,
      metadata: { tags: ['setup'] },
      outputs: [{ output_type: 'stream', name: 'stdout', text: ['1\n', '2\n'] }],
      source: ['import os\n', 'print(1)']
    },
    { cell_type: 'markdown', metadata: {}, source: ['# Title'] }
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 4
};

/** The same notebook as JupyterLab hands it back on save after opening it and starting a kernel. */
function asJupyterLabSaves(nb: { cells: { source: string[]; outputs?: { text: string[] }[] }[] }): any {
  return {
    cells: nb.cells.map((cell, i) => ({
      ...cell,
      id: `id-${i}`,
      source: cell.source.join(''),
      ...(cell.outputs ? { outputs: cell.outputs.map(o => ({ ...o, text: o.text.join('') })) } : {})
    })),
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python', version: '3.12.3' }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

const NB = 'e://org/cohort-2026/analysis.ipynb';
const NB_PATH = 'org/cohort-2026/analysis.ipynb';

describe('Saves that change nothing', () => {
  let fake: FakeContent;
  let drive: EosDrive;
  const writes = () => fake.calls.filter(c => c.route === Routes.saveContent).length;

  beforeEach(() => {
    fake = new FakeContent();
    (requestAPI as jest.Mock).mockImplementation(fake.request);
    drive = new EosDrive({ serverSettings, limit: () => 1e6 });
  });

  afterEach(() => drive.dispose());

  it('writes nothing for a notebook JupyterLab only normalised; an edit is written', async () => {
    const etag = fake.put(NB, JSON.stringify(STORED, null, 1));
    await drive.get(NB_PATH, { type: 'notebook', format: 'json', content: true });
    const changed = jest.fn();
    drive.fileChanged.connect(changed);

    // Autosave: the context checks the ETag, then saves.
    await drive.get(NB_PATH, { content: false });
    const model = await drive.save(NB_PATH, { type: 'notebook', format: 'json', content: asJupyterLabSaves(STORED) });
    expect(writes()).toBe(0);
    expect(model.hash).toBe(etag);
    expect(changed).not.toHaveBeenCalled();

    const edited = asJupyterLabSaves(STORED);
    edited.cells[1].source = '# Title, edited';
    await drive.save(NB_PATH, { type: 'notebook', format: 'json', content: edited });
    expect(writes()).toBe(1);
    expect(JSON.parse(fake.objects.get(NB)!.text).cells[1].source).toBe('# Title, edited');
    // What was written is the new reference: saving it again writes nothing.
    await drive.save(NB_PATH, { type: 'notebook', format: 'json', content: edited });
    expect(writes()).toBe(1);
  });

  it('writes an unchanged document when the save is explicit, until that save is over', async () => {
    fake.put(NB, JSON.stringify(STORED, null, 1));
    await drive.get(NB_PATH, { type: 'notebook', format: 'json', content: true });
    let finish!: () => void;
    drive.saveAlways(NB_PATH, new Promise<void>(resolve => (finish = resolve)));
    await drive.save(NB_PATH, { type: 'notebook', format: 'json', content: asJupyterLabSaves(STORED) });
    expect(writes()).toBe(1);
    expect(JSON.parse(fake.objects.get(NB)!.text).nbformat_minor).toBe(5);
    finish();
    await Promise.resolve();
    await drive.save(NB_PATH, { type: 'notebook', format: 'json', content: asJupyterLabSaves(STORED) });
    expect(writes()).toBe(1);
  });

  it('writes when the object changed in S3 since it was read (the user chose Overwrite)', async () => {
    fake.put('e://org/n.txt', 'mine\n');
    await drive.get('org/n.txt', { type: 'file', format: 'text' });
    await drive.save('org/n.txt', { type: 'file', format: 'text', content: 'mine\n' });
    expect(writes()).toBe(0);
    fake.put('e://org/n.txt', 'theirs\n');
    // The context's check before saving sees the new ETag; the user overwrites with what they see.
    await drive.get('org/n.txt', { content: false });
    await drive.save('org/n.txt', { type: 'file', format: 'text', content: 'mine\n' });
    expect(fake.objects.get('e://org/n.txt')!.text).toBe('mine\n');
    await drive.save('org/n.txt', { type: 'file', format: 'text', content: 'mine, edited\n' });
    expect(writes()).toBe(2);
  });

  it('File > Save writes an unchanged EOS document; autosave does not', async () => {
    fake.put(NB, JSON.stringify(STORED, null, 1));
    const contents = new ContentsManager({ serverSettings });
    contents.addDrive(drive);
    const content = asJupyterLabSaves(STORED);
    const widget = new Widget();
    // Like the document context: the save reaches the drive after an ETag check (a request).
    const contextSave = async () => {
      await contents.get(`EOS:${NB_PATH}`, { content: false });
      await contents.save(`EOS:${NB_PATH}`, { type: 'notebook', format: 'json', content });
    };
    const commands = new CommandRegistry();
    commands.addCommand('docmanager:save', { execute: contextSave });
    const docManager = {
      services: { contents },
      contextForWidget: (w: Widget) => (w === widget ? { path: `EOS:${NB_PATH}` } : undefined)
    };
    const following = followExplicitSaves({
      commands,
      docManager: docManager as any,
      drive,
      current: () => widget,
      all: () => [widget]
    });
    await contents.get(`EOS:${NB_PATH}`, { type: 'notebook', format: 'json', content: true });

    await contextSave();
    expect(writes()).toBe(0);
    await commands.execute('docmanager:save');
    expect(writes()).toBe(1);
    await contextSave();
    expect(writes()).toBe(1);
    following.dispose();
    contents.dispose();
  });

  it('compares notebooks by what a user can change', () => {
    const form = notebookForm(STORED);
    expect(notebookForm(asJupyterLabSaves(STORED))).toBe(form);
    const variants = [
      (nb: any) => (nb.cells[0].source = 'import sys'),
      (nb: any) => (nb.cells[0].outputs[0].text = '3\n'),
      (nb: any) => (nb.cells[0].execution_count = 4),
      (nb: any) => (nb.cells[0].metadata.tags = []),
      (nb: any) => nb.cells.reverse(),
      (nb: any) => (nb.metadata.title = 'Cohort 2026')
    ];
    for (const change of variants) {
      const nb = asJupyterLabSaves(STORED);
      change(nb);
      expect(notebookForm(nb)).not.toBe(form);
    }
  });
});

describe('/lab/tree/EOS:... URLs', () => {
  /** The open plugin activated in an app whose URL named `treePath`; resolves once its workspace is restored. */
  const activate = async (treePath: string, contents: ContentsManager) => {
    PageConfig.setOption('treePath', treePath);
    const eos = new FakeEos();
    (requestAPI as jest.Mock).mockImplementation((route: string, options: any) =>
      route.startsWith('api/content') ? content.request(route, options) : eos.request(route, options)
    );
    let restore!: () => void;
    const app = {
      shell: { add: jest.fn(), activateById: jest.fn(), currentWidget: null, widgets: () => [] },
      commands: new CommandRegistry(),
      contextMenu: { addItem: jest.fn(), opened: new Signal({}) },
      docRegistry: new DocumentRegistry(),
      serviceManager: { serverSettings, contents: { addDrive: (d: EosDrive) => contents.addDrive(d) } },
      restored: new Promise<void>(resolve => (restore = resolve))
    };
    const browser = (browserPlugin.activate as any)(app, null, null, null) as IEosBrowser;
    const openOrReveal = jest.fn();
    (openPlugin.activate as any)(app, browser, { openOrReveal, services: { contents } }, null, null, null, null);
    // JupyterLab's tree resolver reads the page config when it first routes, after activation.
    const seen = PageConfig.getOption('treePath');
    restore();
    await app.restored;
    await new Promise(resolve => setTimeout(resolve, 0));
    browser.panel.dispose();
    (browser.model as EosBrowserModel).dispose();
    return { seen, openOrReveal };
  };

  let content: FakeContent;
  beforeEach(() => {
    content = new FakeContent();
    content.put(NB, JSON.stringify(STORED));
  });
  afterEach(() => PageConfig.setOption('treePath', ''));

  it('opens the EOS document the URL names once the workspace is restored; JupyterLab never sees the path', async () => {
    const contents = new ContentsManager({ serverSettings });
    const { seen, openOrReveal } = await activate(`EOS:${NB_PATH}`, contents);
    expect(seen).toBe('');
    expect(openOrReveal).toHaveBeenCalledWith(`EOS:${NB_PATH}`);
    contents.dispose();
  });

  it('leaves local paths to JupyterLab', async () => {
    const contents = new ContentsManager({ serverSettings });
    const { seen, openOrReveal } = await activate('notebooks/a.ipynb', contents);
    expect(seen).toBe('notebooks/a.ipynb');
    expect(openOrReveal).not.toHaveBeenCalled();
    contents.dispose();
  });
});

describe('Big compressed and binary genomics files', () => {
  it('are known by name', () => {
    expect(['a.fastq.gz', 'b.vcf.bgz', 'c.bam', 'd.CRAM', 'e.bcf'].every(opensInPeek)).toBe(true);
    expect(['a.fastq', 'b.vcf', 'c.sam', 'd.tsv', 'e.ipynb', 'gz'].some(opensInPeek)).toBe(false);
  });

  it('open in Peek whatever their size; other files above the limit are not opened', async () => {
    const eos = new FakeEos();
    eos.page('e://org/', [
      object('e://org/', 'reads.fastq.gz', 60e6),
      object('e://org/', 'aln.bam', 3e9),
      object('e://org/', 'big.tsv', 60e6)
    ]);
    (requestAPI as jest.Mock).mockImplementation(eos.request);
    const app = {
      shell: { add: jest.fn(), activateById: jest.fn(), currentWidget: null, widgets: () => [] },
      commands: new CommandRegistry(),
      contextMenu: { addItem: jest.fn(), opened: new Signal({}) },
      docRegistry: new DocumentRegistry(),
      serviceManager: { serverSettings, contents: { addDrive: jest.fn() } }
    };
    const browser = (browserPlugin.activate as any)(app, null, null, null) as IEosBrowser;
    const openOrReveal = jest.fn();
    (openPlugin.activate as any)(app, browser, { openOrReveal }, null, null, null, null, null);
    await browser.model.initialize();
    await browser.model.expand('e://org/');
    expect(browser.model.node('e://org/reads.fastq.gz')?.size).toBe(60e6);

    // (Not awaited: a "too large" dialog would wait for an answer.)
    const before = app.shell.add.mock.calls.length; // the EOS panel itself
    void app.commands.execute(CommandIDs.open, { uri: 'e://org/reads.fastq.gz' });
    void app.commands.execute(CommandIDs.open, { uri: 'e://org/aln.bam' });
    await until(() => app.shell.add.mock.calls.length >= before + 2);
    expect(document.querySelector('.jp-Dialog')).toBeNull();
    const titles = app.shell.add.mock.calls.slice(before).map(([widget]) => (widget as Widget).title.label);
    expect(titles).toEqual(['Peek: reads.fastq.gz', 'Peek: aln.bam']);

    void app.commands.execute(CommandIDs.open, { uri: 'e://org/big.tsv' });
    await waitForDialog();
    expect(document.querySelector('.jp-Dialog')?.textContent).toContain('File too large to open');
    expect(openOrReveal).not.toHaveBeenCalled();
    (document.querySelector('.jp-Dialog .jp-mod-reject') as HTMLElement).click();
    app.shell.add.mock.calls.forEach(([widget]) => (widget as Widget).dispose());
    browser.panel.dispose();
    (browser.model as EosBrowserModel).dispose();
  });
});
