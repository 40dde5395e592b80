import { Routes } from '../../core';
import { EosBrowserModel } from '../model';
import { EosSettings } from '../settings';
import { IItemRow } from '../tree';
import { FakeEos, IRecordedChange, WHOAMI, folder, object, recordChanges } from './fake';

const HOME = 'e://users/me/';
const ORG = 'e://org/';
const GENCOVE = 'e://gencove/';
const DATA = `${HOME}data/`;
const DEEP = `${DATA}deep/`;

/** Let pending requests settle. */
const tick = () => new Promise(resolve => setTimeout(resolve, 0));

describe('EosBrowserModel listings', () => {
  let eos: FakeEos;
  let settings: EosSettings;
  let model: EosBrowserModel;
  let changes: IRecordedChange[];

  beforeEach(() => {
    eos = new FakeEos();
    eos.page(HOME, [folder(HOME, 'data'), object(HOME, 'notes.txt')]);
    eos.page(DATA, [folder(DATA, 'deep'), object(DATA, 'x.bam')]);
    eos.page(DEEP, [object(DEEP, 'y.vcf')]);
    settings = new EosSettings({ pageSize: 50 });
    model = new EosBrowserModel({ settings, request: eos.requester });
    changes = recordChanges(model);
  });

  afterEach(() => model.dispose());

  const listed = (uri: string) => eos.calls.filter(call => call.route === Routes.list && call.query.uri === uri);

  it('builds the roots from the namespaces whoami lists', async () => {
    eos.whoami = { ...WHOAMI, namespaces: WHOAMI.namespaces.filter(ns => ns.name !== 'gencove') };
    await model.initialize();
    expect(model.roots.map(root => root.label)).toEqual(['My files', 'Organization', 'Users']);
    expect(listed(GENCOVE)).toHaveLength(0);
    expect(eos.calls.find(call => call.route === Routes.list)?.query.limit).toBe(50);
  });

  it("keeps a folder's folders above its objects across pages, sorted by name numerically", async () => {
    eos.page(HOME, [folder(HOME, 'b'), object(HOME, 'file10'), object(HOME, 'file9')], 'c1');
    eos.page(HOME, [folder(HOME, 'c'), folder(HOME, 'a'), object(HOME, 'file1')], null, 'c1');
    await model.initialize();
    await model.loadMore(HOME);
    const names = model.children(HOME)!.map(uri => model.node(uri)!.name);
    expect(names).toEqual(['a', 'b', 'c', 'file1', 'file9', 'file10']);
    const items = model.rows.filter(row => row.type === 'item' && row.node.parent === HOME) as IItemRow[];
    expect(items.map(row => [row.posinset, row.setsize])).toEqual([
      [1, 6],
      [2, 6],
      [3, 6],
      [4, 6],
      [5, 6],
      [6, 6]
    ]);
  });

  it('follows the sort and hidden-files settings live', async () => {
    eos.page(HOME, [
      folder(HOME, '.cache'),
      folder(HOME, 'z'),
      object(HOME, 'big', 900),
      object(HOME, 'small', 1),
      object(HOME, '.env', 5)
    ]);
    await model.initialize();
    const names = () => model.children(HOME)!.map(uri => model.node(uri)!.name);
    expect(names()).toEqual(['z', 'big', 'small']);
    settings.update({ sortBy: 'size', sortDirection: 'ascending' });
    expect(changes[changes.length - 1]).toEqual({ type: 'order', uri: null });
    expect(names()).toEqual(['z', 'small', 'big']);
    settings.update({ showHidden: true, sortDirection: 'descending' });
    expect(names()).toEqual(['.cache', 'z', 'big', '.env', 'small']);
    settings.update({ pageSize: 7 });
    await model.refresh(HOME);
    expect(listed(HOME).pop()?.query.limit).toBe(7);
  });

  it('fetches one page at a time: a second Load more shares the request', async () => {
    eos.page(HOME, [object(HOME, 'a')], 'c1');
    eos.page(HOME, [object(HOME, 'b')], null, 'c1');
    await model.initialize();
    const release = eos.hold(HOME, 'c1');
    const first = model.loadMore(HOME);
    const second = model.loadMore(HOME);
    release();
    await Promise.all([first, second]);
    expect(listed(HOME).filter(call => call.query.cursor === 'c1')).toHaveLength(1);
  });

  it('aborts a request that a refresh supersedes, and carries the signal to the request', async () => {
    eos.page(HOME, [object(HOME, 'a')], 'c1');
    await model.initialize();
    const release = eos.hold(HOME, 'c1');
    const more = model.loadMore(HOME);
    const signal = listed(HOME).pop()!.signal!;
    const refreshing = model.refresh(HOME);
    expect(signal.aborted).toBe(true);
    release();
    await Promise.all([more, refreshing]);
    expect(model.node(HOME)).toMatchObject({ loading: false, error: null, next: 'c1' });
  });

  it('shares one run between overlapping refreshes, keeping expanded subfolders and the selection', async () => {
    await model.initialize();
    await model.expand(DATA);
    await model.expand(DEEP);
    model.select(`${DEEP}y.vcf`);
    model.toggleSelected(`${DATA}x.bam`);
    const release = eos.hold(HOME);
    const count = listed(HOME).length;
    const first = model.refresh(HOME);
    const second = model.refresh(`${HOME}notes.txt`);
    const third = model.refreshAll();
    release();
    await Promise.all([first, second, third]);
    expect(listed(HOME)).toHaveLength(count + 1);
    expect(model.node(DATA)?.expanded).toBe(true);
    expect(model.node(DEEP)?.expanded).toBe(true);
    expect(model.children(DEEP)).toEqual([`${DEEP}y.vcf`]);
    expect(model.selection.map(node => node.uri)).toEqual([`${DEEP}y.vcf`, `${DATA}x.bam`]);
    expect(model.selected?.uri).toBe(`${DATA}x.bam`);
  });

  it('refreshAll lists every expanded folder, not collapsed ones', async () => {
    await model.initialize();
    await model.expand(DATA);
    await model.expand(DEEP);
    model.collapse(DEEP);
    const before = eos.listed().length;
    await model.refreshAll();
    expect(eos.listed().slice(before).sort()).toEqual([HOME, DATA, ORG, GENCOVE].sort());
    await model.expand(DEEP);
    expect(model.children(DEEP)).toEqual([`${DEEP}y.vcf`]);
  });

  describe('filter', () => {
    it('filters the loaded names of a fully listed folder by substring', async () => {
      await model.initialize();
      await model.filter.set(HOME, 'OTE');
      expect(model.filter.mode).toBe('loaded');
      expect(model.rows.filter(row => row.node.parent === HOME).map(row => row.key)).toEqual([`${HOME}notes.txt`]);
      expect(listed(HOME).some(call => 'prefix' in call.query)).toBe(false);
      model.filter.clear();
      expect(model.rows.filter(row => row.node.parent === HOME)).toHaveLength(2);
    });

    it('asks S3 for a prefix when the folder has more pages', async () => {
      eos.page(HOME, [object(HOME, 'alpha'), object(HOME, 'beta')], 'c1');
      eos.page(HOME, [object(HOME, 'gamma'), object(HOME, 'gap')], null, 'c1');
      await model.initialize();
      await model.filter.set(HOME, 'ga');
      expect(model.filter.mode).toBe('prefix');
      expect(listed(HOME).pop()?.query).toMatchObject({ uri: HOME, prefix: 'ga' });
      const shown = model.rows.filter(row => row.type === 'item' && row.node.parent === HOME).map(row => row.node.name);
      expect(shown).toEqual(['gamma', 'gap']);
      model.filter.clear();
      expect(model.filter.mode).toBeNull();
    });
  });

  describe('reveal()', () => {
    it('expands the ancestors, selects the item and signals it', async () => {
      await model.initialize();
      await model.reveal(`${DEEP}y.vcf`);
      expect(model.node(DATA)?.expanded).toBe(true);
      expect(model.node(DEEP)?.expanded).toBe(true);
      expect(model.selected?.uri).toBe(`${DEEP}y.vcf`);
      expect(changes[changes.length - 1]).toEqual({ type: 'reveal', uri: `${DEEP}y.vcf` });
    });

    it('finds an item of a folder with more pages by prefix instead of paging', async () => {
      eos.page(DATA, [object(DATA, 'chunk-0')], 'c1');
      eos.page(DATA, [object(DATA, 'chunk-1')], 'c2', 'c1');
      eos.page(DATA, [object(DATA, 'chunk-2'), object(DATA, 'chunk-20')], null, 'c2');
      await model.initialize();
      await model.reveal(`${DATA}chunk-2`);
      expect(listed(DATA).map(call => call.query.cursor ?? call.query.prefix ?? '')).toEqual(['', 'chunk-2']);
      expect(model.selected?.uri).toBe(`${DATA}chunk-2`);
      expect(model.children(DATA)).toEqual([`${DATA}chunk-0`, `${DATA}chunk-2`]);
      // Paging on does not repeat it.
      await model.loadMore(DATA);
      await model.loadMore(DATA);
      expect(model.children(DATA)).toEqual([`${DATA}chunk-0`, `${DATA}chunk-1`, `${DATA}chunk-2`, `${DATA}chunk-20`]);
    });

    it('says NotFound for a location that does not exist', async () => {
      await model.initialize();
      await expect(model.reveal(`${HOME}nowhere/file`)).rejects.toMatchObject({ code: 'NotFound' });
      await expect(model.reveal('e://elsewhere/')).rejects.toMatchObject({ code: 'NotFound' });
    });
  });

  it('drops nothing on tick: requests settle', async () => {
    await model.initialize();
    await tick();
    expect(model.roots.some(root => root.loading)).toBe(false);
  });
});
