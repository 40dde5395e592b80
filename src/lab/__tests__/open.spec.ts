/**
 * Opening EOS files: the EOS drive against a scripted service, Peek's
 * formats, and the open plugin's registrations.
 */
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { ServerConnection } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

import { EosError, HeadResponse } from '../../core';
import type { EosBrowserModel } from '../model';
import { bamIcon, vcfIcon } from '../icons';
import { EosDrive } from '../open/drive';
import { registerGenomicsTypes } from '../open/filetypes';
import { peekKind, peekQuery, peekView, splitCsv } from '../open/formats';
import { openPlugin } from '../open/plugin';
import plugins from '../index';
import { requestAPI } from '../request';
import { CommandIDs, IEosBrowser } from '../tokens';
import openSchema from '../../../schema/open.json';
import { browserPlugin } from '../plugins';
import { FakeEos } from './fake';
import { FakeContent } from './fake-content';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const serverSettings = ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' });

describe('EosDrive', () => {
  let fake: FakeContent;
  let drive: EosDrive;

  beforeEach(() => {
    fake = new FakeContent();
    (requestAPI as jest.Mock).mockImplementation(fake.request);
    drive = new EosDrive({ serverSettings, limit: () => 1000 });
  });

  afterEach(() => drive.dispose());

  it('maps drive paths to URIs and answers a file model with the ETag as its hash', async () => {
    const etag = fake.put('e://org/cohort 1/a%b.tsv', 'x\ty\n');
    expect(EosDrive.pathOf('e://org/cohort 1/a%b.tsv')).toBe('EOS:org/cohort 1/a%25b.tsv');
    const model = await drive.get('org/cohort 1/a%25b.tsv', { type: 'file', format: 'text', content: true });
    expect(model).toMatchObject({
      name: 'a%25b.tsv',
      path: 'org/cohort 1/a%25b.tsv',
      type: 'file',
      format: 'text',
      content: 'x\ty\n',
      writable: true,
      hash: etag,
      hash_algorithm: 'etag'
    });
    expect(fake.calls[0].query).toMatchObject({ uri: 'e://org/cohort 1/a%b.tsv', format: 'text', limit: 1000 });
  });

  it('parses notebooks and saves them back conditionally on the ETag it reported', async () => {
    const notebook = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const first = fake.put('e://users/me/a.ipynb', JSON.stringify(notebook));
    const model = await drive.get('users/me/a.ipynb', { type: 'notebook', format: 'json', content: true });
    expect(model).toMatchObject({ type: 'notebook', format: 'json', content: notebook });

    const changed = { ...notebook, metadata: { edited: true } };
    const saved = await drive.save('users/me/a.ipynb', { type: 'notebook', format: 'json', content: changed });
    const put = fake.calls.find(c => c.route === 'api/content/save')!;
    expect(put.query).toEqual({ uri: 'e://users/me/a.ipynb', etag: first });
    expect(JSON.parse(fake.objects.get('e://users/me/a.ipynb')!.text)).toEqual(changed);
    expect(saved.hash).toBe(fake.objects.get('e://users/me/a.ipynb')!.etag);
  });

  it('refuses to save over a change made by someone else, and writes nothing', async () => {
    fake.put('e://org/n.txt', 'mine\n');
    await drive.get('org/n.txt', { type: 'file', format: 'text' });
    fake.put('e://org/n.txt', 'theirs\n');
    await expect(drive.save('org/n.txt', { type: 'file', format: 'text', content: 'mine, edited\n' })).rejects.toThrow(
      'changed by someone else'
    );
    expect(fake.objects.get('e://org/n.txt')!.text).toBe('theirs\n');
    // Once the context has seen the new ETag (its check before saving, then the user's "Overwrite"), it saves.
    await drive.get('org/n.txt', { content: false });
    await drive.save('org/n.txt', { type: 'file', format: 'text', content: 'mine, edited\n' });
    expect(fake.objects.get('e://org/n.txt')!.text).toBe('mine, edited\n');
  });

  it('creates untitled files under a free name, never over an existing one', async () => {
    fake.put('e://org/f/untitled.txt', 'taken');
    const model = await drive.newUntitled({ path: 'org/f', type: 'file', ext: '.txt' });
    expect(model.path).toBe('org/f/untitled1.txt');
    expect(fake.objects.get('e://org/f/untitled.txt')!.text).toBe('taken');
    const nb = await drive.newUntitled({ path: 'org/f', type: 'notebook' });
    expect(nb.path).toBe('org/f/Untitled.ipynb');
    expect(JSON.parse(fake.objects.get('e://org/f/Untitled.ipynb')!.text)).toMatchObject({ nbformat: 4 });
  });

  it('reports read-only objects as not writable and leaves delete and rename to the panel', async () => {
    fake.put('e://gencove/ref.txt', 'ref');
    expect((await drive.get('gencove/ref.txt')).writable).toBe(false);
    await expect(drive.delete('org/n.txt')).rejects.toThrow('use the EOS panel');
    await expect(drive.rename('org/n.txt', 'org/m.txt')).rejects.toBeInstanceOf(EosError);
  });
});

describe('Peek formats', () => {
  const head = (lines: string[], header: string[] = []): HeadResponse => ({
    uri: 'e://org/x',
    size: 1000,
    etag: '"e"',
    compressed: true,
    header,
    lines,
    bytesRead: 100,
    bytesDecoded: 300,
    complete: false,
    cut: 0
  });

  it('knows genomics files by name, compressed or not', () => {
    expect(
      ['a.fastq.gz', 'a.FQ', 'a.vcf.bgz', 'a.sam', 'a.bed.gz', 'a.csv', 'a.tsv', 'a.txt', 'README'].map(peekKind)
    ).toEqual(['fastq', 'fastq', 'vcf', 'sam', 'bed', 'csv', 'tsv', 'text', 'text']);
    expect(peekQuery('e://org/a.fq', 'fastq', 10)).toEqual({ uri: 'e://org/a.fq', lines: 40 });
    expect(peekQuery('e://org/a.vcf', 'vcf', 10)).toEqual({ uri: 'e://org/a.vcf', lines: 10, header: '#' });
    expect(peekQuery('e://org/a.sam', 'sam', 10)).toEqual({ uri: 'e://org/a.sam', lines: 10, header: '@' });
  });

  it('shows FASTQ reads, VCF records under their header, and quoted CSV cells', () => {
    const fq = peekView('fastq', head(['@r1 x', 'ACGT', '+', 'IIII', '@r2', 'GG', '+', '##']));
    expect(fq.rows).toEqual([
      ['r1 x', '4', 'ACGT', 'IIII'],
      ['r2', '2', 'GG', '##']
    ]);
    const vcf = peekView('vcf', head(['1\t100\t.\tA\tG'], ['##fileformat=VCFv4.3', '#CHROM\tPOS\tID\tREF\tALT']));
    expect(vcf).toMatchObject({ meta: ['##fileformat=VCFv4.3'], columns: ['CHROM', 'POS', 'ID', 'REF', 'ALT'] });
    expect(vcf.rows).toEqual([['1', '100', '.', 'A', 'G']]);
    expect(splitCsv('a,"b, c","say ""hi"""')).toEqual(['a', 'b, c', 'say "hi"']);
    expect(peekView('csv', head(['x,y', '1,2'])).columns).toEqual(['x', 'y']);
  });
});

describe('jupyterlab-eos:open', () => {
  it('is exported, needs the EOS browser and the document manager, and declares its menus', () => {
    expect(plugins).toContain(openPlugin);
    expect(openPlugin.requires?.[0]).toBe(IEosBrowser);
    // A command may show on several kinds of rows (a writable folder and the background): once each.
    const menu = [
      ...new Set(openSchema['jupyter.lab.menus'].context.filter(i => 'command' in i).map(i => (i as any).command))
    ];
    expect(menu.sort()).toEqual([CommandIDs.newFile, CommandIDs.newNotebook, CommandIDs.open, CommandIDs.peek].sort());
    expect(openSchema.properties.openLimitMB.default).toBe(50);
  });

  it('adds the EOS drive and the commands; objects above the limit are not opened', async () => {
    (requestAPI as jest.Mock).mockImplementation(new FakeEos().request);
    const addDrive = jest.fn();
    const app = {
      shell: { add: jest.fn(), activateById: jest.fn() },
      commands: new CommandRegistry(),
      contextMenu: { addItem: jest.fn(), opened: new Signal({}) },
      docRegistry: new DocumentRegistry(),
      serviceManager: { serverSettings, contents: { addDrive } }
    };
    const browser = (browserPlugin.activate as any)(app, null, null, null) as IEosBrowser;
    const openOrReveal = jest.fn();
    (openPlugin.activate as any)(app, browser, { openOrReveal }, null, null, null, null);
    expect(addDrive).toHaveBeenCalledWith(expect.any(EosDrive));
    expect(addDrive.mock.calls[0][0].name).toBe('EOS');
    for (const id of [
      CommandIDs.open,
      CommandIDs.openWith,
      CommandIDs.peek,
      CommandIDs.newFile,
      CommandIDs.newNotebook
    ]) {
      expect(app.commands.hasCommand(id)).toBe(true);
    }
    // A URI not in the tree has no known size: it is opened through the drive.
    await app.commands.execute(CommandIDs.open, { uri: 'e://org/a b/c.tsv' });
    expect(openOrReveal).toHaveBeenCalledWith('EOS:org/a b/c.tsv', undefined);
    browser.panel.dispose();
    (browser.model as EosBrowserModel).dispose();
  });
});

describe('registerGenomicsTypes', () => {
  it("gives JupyterLab's document registry the genomics types with their icons, compressed forms included", () => {
    const registry = new DocumentRegistry();
    registerGenomicsTypes(registry);
    const [vcf] = registry.getFileTypesForPath('calls.vcf.gz');
    expect(vcf.name).toBe('vcf');
    expect(vcf.icon).toBe(vcfIcon);
    expect(registry.getFileTypesForPath('a.bam')[0].icon).toBe(bamIcon);
    expect(registry.getFileType('fastq')?.extensions).toEqual([
      '.fastq',
      '.fastq.gz',
      '.fastq.bgz',
      '.fq',
      '.fq.gz',
      '.fq.bgz'
    ]);
  });
});
