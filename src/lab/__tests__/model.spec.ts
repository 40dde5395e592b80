import { Routes } from '../../core';
import { EosBrowserModel } from '../model';
import { EosRequestError } from '../request';
import { FakeEos, IRecordedChange, OTHER_ID, USER_ID, folder, object, recordChanges } from './fake';

const HOME = 'e://users/me/';
const ORG = 'e://org/';
const GENCOVE = 'e://gencove/';
const USERS = 'e://users/';

describe('EosBrowserModel', () => {
  let eos: FakeEos;
  let model: EosBrowserModel;
  let changes: IRecordedChange[];

  beforeEach(() => {
    eos = new FakeEos();
    eos.page(HOME, [folder(HOME, 'data'), object(HOME, 'notes.txt')]);
    eos.page(ORG, [folder(ORG, 'shared')]);
    eos.page(GENCOVE, [folder(GENCOVE, 'reference', 'read')], null, '', 'read');
    model = new EosBrowserModel({ pageSize: 2, request: eos.requester });
    changes = recordChanges(model);
  });

  afterEach(() => {
    model.dispose();
  });

  describe('initialize()', () => {
    it('builds the roots from whoami, then lists the first three; Users stays collapsed', async () => {
      expect(model.roots).toEqual([]);
      await model.initialize();
      expect(model.roots.map(root => [root.label, root.uri])).toEqual([
        ['My files', HOME],
        ['Organization', ORG],
        ['Gencove', GENCOVE],
        ['Users', USERS]
      ]);

      expect(eos.calls[0].route).toBe(Routes.whoami);
      expect(eos.listed().sort()).toEqual([GENCOVE, ORG, HOME].sort());
      expect(
        eos.calls.filter(c => c.route === Routes.list).every(c => c.query.limit === 2 && c.query.cursor === undefined)
      ).toBe(true);
      expect(model.whoami?.userId).toBe(USER_ID);
      const [home, , gencove, users] = model.roots;
      expect(home).toMatchObject({ expanded: true, loading: false, access: 'readwrite', loaded: 2, next: null });
      expect(model.children(HOME)).toEqual([`${HOME}data/`, `${HOME}notes.txt`]);
      expect(model.children(ORG)).toEqual([`${ORG}shared/`]);
      expect(gencove).toMatchObject({ access: 'read', expanded: true });
      expect(users).toMatchObject({ expanded: false, loaded: null, access: 'read' });
      expect(model.children(USERS)).toBeNull();
      expect(model.node(`${HOME}notes.txt`)).toMatchObject({ kind: 'object', size: 1234, level: 2, parent: HOME });
    });

    it('runs the three listings in parallel', async () => {
      const releases = [eos.hold(HOME), eos.hold(ORG), eos.hold(GENCOVE)];
      const done = model.initialize();
      await new Promise(resolve => setTimeout(resolve, 0));
      expect(eos.listed()).toHaveLength(3);
      expect(model.roots.slice(0, 3).every(root => root.loading)).toBe(true);
      releases.forEach(release => release());
      await done;
      expect(model.roots.some(root => root.loading)).toBe(false);
    });

    it('records a whoami failure on the model and tries again when asked', async () => {
      eos.whoami = new EosRequestError('Upstream', 'The EOS service answered 502 Bad Gateway', 502);
      await model.initialize();

      expect(model.error).toMatchObject({ code: 'Upstream', status: 502 });
      expect(model.whoami).toBeNull();
      expect(model.initializing).toBe(false);
      expect(eos.listed()).toEqual([]);
      expect(changes).toContainEqual({ type: 'error', uri: null, error: model.error });

      eos.whoami = (await import('./fake')).WHOAMI;
      await model.refresh();
      expect(model.error).toBeNull();
      expect(model.whoami?.userId).toBe(USER_ID);
      expect(model.children(HOME)).toHaveLength(2);
    });

    it('shares one run between concurrent callers', async () => {
      await Promise.all([model.initialize(), model.initialize()]);
      expect(eos.calls.filter(c => c.route === Routes.whoami)).toHaveLength(1);
      await model.initialize();
      expect(eos.calls.filter(c => c.route === Routes.whoami)).toHaveLength(1);
    });
  });

  describe('expand() and collapse()', () => {
    beforeEach(() => model.initialize());

    it('lists a folder once, one level per request, and keeps it when collapsed', async () => {
      eos.page(USERS, [folder(USERS, OTHER_ID, 'read'), folder(USERS, 'me')], null, '', 'read');
      await model.expand(USERS);
      // The service lists the user's own space as e://users/me/: that is the
      // My files root, which stays where it is and is not repeated.
      expect(model.children(USERS)).toEqual([`${USERS}${OTHER_ID}/`]);
      expect(model.node(HOME)).toMatchObject({ parent: null, level: 1, label: 'My files' });
      expect(model.rows.filter(row => row.type === 'item' && row.node.uri === HOME)).toHaveLength(1);
      expect(model.node(`${USERS}${OTHER_ID}/`)).toMatchObject({
        access: 'read',
        level: 2,
        expanded: false,
        loaded: null
      });

      model.collapse(USERS);
      expect(model.node(USERS)?.expanded).toBe(false);
      await model.expand(USERS);
      expect(model.node(USERS)?.expanded).toBe(true);
      expect(eos.listed().filter(uri => uri === USERS)).toHaveLength(1);
    });

    it('ignores objects and unknown URIs', async () => {
      const before = eos.calls.length;
      await model.expand(`${HOME}notes.txt`);
      await model.expand('e://org/nowhere/');
      expect(eos.calls.length).toBe(before);
      expect(model.node(`${HOME}notes.txt`)?.expanded).toBe(false);
    });

    it('aborts the request of a folder collapsed while it loads', async () => {
      const release = eos.hold(`${HOME}data/`);
      const expanding = model.expand(`${HOME}data/`);
      expect(model.node(`${HOME}data/`)).toMatchObject({ expanded: true, loading: true });
      const signal = eos.calls[eos.calls.length - 1].signal!;
      expect(signal.aborted).toBe(false);
      model.collapse(`${HOME}data/`);
      expect(signal.aborted).toBe(true);
      release();
      await expanding;
      expect(model.node(`${HOME}data/`)).toMatchObject({ expanded: false, loading: false, loaded: null, error: null });

      await model.expand(`${HOME}data/`);
      expect(eos.listed().filter(uri => uri === `${HOME}data/`)).toHaveLength(2);
    });

    it('shows a placeholder label for an empty name', async () => {
      eos.page(ORG + 'shared/', [folder(ORG + 'shared/', ''), object(ORG + 'shared/', 'x')]);
      await model.expand(`${ORG}shared/`);
      expect(model.node(`${ORG}shared//`)).toMatchObject({ name: '', label: '(empty name)', kind: 'folder' });
    });
  });

  describe('loadMore()', () => {
    it('appends the next page, skipping repeats, and updates the cursor', async () => {
      eos.page(HOME, [object(HOME, 'a'), object(HOME, 'b')], 'cursor-1');
      eos.page(HOME, [object(HOME, 'b'), object(HOME, 'c')], 'cursor-2', 'cursor-1');
      eos.page(HOME, [object(HOME, 'd')], null, 'cursor-2');
      await model.initialize();
      expect(model.roots[0]).toMatchObject({ next: 'cursor-1', loaded: 2 });
      expect(model.children(HOME)).toEqual([`${HOME}a`, `${HOME}b`]);
      expect(model.rows.find(row => row.key === `status:${HOME}`)?.type).toBe('more');

      await model.loadMore(HOME);
      const more = eos.calls[eos.calls.length - 1];
      expect(more.query).toEqual({ uri: HOME, cursor: 'cursor-1', limit: 2 });
      expect(model.roots[0]).toMatchObject({ next: 'cursor-2' });
      expect(model.children(HOME)).toEqual([`${HOME}a`, `${HOME}b`, `${HOME}c`]);

      await model.loadMore(HOME);
      expect(model.roots[0]).toMatchObject({ next: null, loaded: 4 });
      expect(model.children(HOME)).toEqual([`${HOME}a`, `${HOME}b`, `${HOME}c`, `${HOME}d`]);
      expect(model.rows.some(row => row.key === `status:${HOME}`)).toBe(false);

      const calls = eos.calls.length;
      await model.loadMore(HOME);
      expect(eos.calls.length).toBe(calls);
    });
  });

  describe('errors', () => {
    it('records a failed listing on the node, signals it, and retries', async () => {
      const denied = new EosRequestError('AccessDenied', 'Access denied to e://org/', 403);
      eos.fail(ORG, denied);
      await model.initialize();

      const org = model.roots[1];
      expect(org).toMatchObject({ expanded: true, loading: false, loaded: null });
      expect(org.error).toBe(denied);
      expect(org.error).toMatchObject({ code: 'AccessDenied', status: 403 });
      expect(changes).toContainEqual({ type: 'error', uri: ORG, error: denied });
      expect(model.rows.find(row => row.key === `status:${ORG}`)?.type).toBe('error');
      expect(model.roots[0].error).toBeNull();

      eos.page(ORG, [folder(ORG, 'ok')]);
      await model.retry(ORG);
      expect(model.roots[1]).toMatchObject({ error: null });
      expect(model.children(ORG)).toEqual([`${ORG}ok/`]);
    });

    it('keeps the loaded children when a next page fails, and retries that page', async () => {
      eos.page(HOME, [object(HOME, 'a')], 'c1');
      eos.fail(HOME, new EosRequestError('Upstream', 'S3 timed out', 502), 'c1');
      await model.initialize();
      await model.loadMore(HOME);
      expect(model.roots[0]).toMatchObject({ next: 'c1' });
      expect(model.children(HOME)).toEqual([`${HOME}a`]);
      expect(model.roots[0].error?.code).toBe('Upstream');

      eos.page(HOME, [object(HOME, 'b')], null, 'c1');
      await model.retry(HOME);
      expect(model.roots[0]).toMatchObject({ next: null, error: null });
      expect(model.children(HOME)).toEqual([`${HOME}a`, `${HOME}b`]);
    });

    it('wraps failures that are not EosErrors', async () => {
      eos.fail(ORG, new TypeError('boom'));
      await model.initialize();
      expect(model.roots[1].error).toMatchObject({ code: 'Internal', message: 'boom' });
    });
  });

  describe('refresh()', () => {
    beforeEach(() => model.initialize());

    it('drops an answer that a refresh overtook', async () => {
      eos.page(`${HOME}data/`, [object(`${HOME}data/`, 'old')]);
      const release = eos.hold(`${HOME}data/`);
      const first = model.expand(`${HOME}data/`);

      eos.page(`${HOME}data/`, [object(`${HOME}data/`, 'new')]);
      await model.refresh(`${HOME}data/`);
      expect(model.children(`${HOME}data/`)).toEqual([`${HOME}data/new`]);

      eos.page(`${HOME}data/`, [object(`${HOME}data/`, 'stale')]);
      release();
      await first;
      expect(model.node(`${HOME}data/`)).toMatchObject({ loading: false });
      expect(model.children(`${HOME}data/`)).toEqual([`${HOME}data/new`]);
      expect(model.node(`${HOME}data/stale`)).toBeUndefined();
    });

    it('lists again, re-expanding subfolders that still exist and forgetting removed ones', async () => {
      eos.page(`${HOME}data/`, [folder(`${HOME}data/`, 'deep'), object(`${HOME}data/`, 'x')]);
      eos.page(`${HOME}data/deep/`, [object(`${HOME}data/deep/`, 'y')]);
      await model.expand(`${HOME}data/`);
      await model.expand(`${HOME}data/deep/`);

      eos.page(HOME, [folder(HOME, 'data'), object(HOME, 'added')]);
      eos.page(`${HOME}data/deep/`, [object(`${HOME}data/deep/`, 'z')]);
      await model.refresh(HOME);

      expect(model.children(HOME)).toEqual([`${HOME}data/`, `${HOME}added`]);
      expect(model.node(`${HOME}notes.txt`)).toBeUndefined();
      expect(model.node(`${HOME}data/`)?.expanded).toBe(true);
      expect(model.node(`${HOME}data/deep/`)).toMatchObject({ expanded: true });
      expect(model.children(`${HOME}data/deep/`)).toEqual([`${HOME}data/deep/z`]);
      expect(model.node(`${HOME}data/deep/y`)).toBeUndefined();
    });

    it('refreshes every expanded root without an argument, and an object through its folder', async () => {
      const before = eos.listed().length;
      await model.refresh();
      expect(eos.listed().slice(before).sort()).toEqual([GENCOVE, ORG, HOME].sort());

      await model.refresh(`${HOME}notes.txt`);
      expect(eos.listed()[eos.listed().length - 1]).toBe(HOME);
    });
  });

  describe('signals', () => {
    it('emits displayChanged once after each change of any kind, and nothing once disposed', async () => {
      let shown = 0;
      model.displayChanged.connect(() => shown++);
      await model.initialize();
      model.select(`${HOME}notes.txt`);
      await model.expand(`${HOME}data/`);
      expect(changes.map(change => change.type)).toEqual(expect.arrayContaining(['session', 'node', 'selection']));
      expect(shown).toBe(changes.length);

      model.dispose();
      model.select(null);
      expect(shown).toBe(changes.length);
    });
  });

  describe('select()', () => {
    beforeEach(() => model.initialize());

    it('selects known nodes and signals it', () => {
      expect(model.selected).toBeNull();
      model.select(`${HOME}notes.txt`);
      expect(model.selected?.uri).toBe(`${HOME}notes.txt`);
      expect(changes[changes.length - 1]).toEqual({ type: 'selection', uri: `${HOME}notes.txt` });

      const count = changes.length;
      model.select('e://org/unknown');
      model.select(`${HOME}notes.txt`);
      expect(changes.length).toBe(count);
      expect(model.selected?.uri).toBe(`${HOME}notes.txt`);

      model.select(null);
      expect(model.selected).toBeNull();
    });

    it('has no selection when the selected node is gone after a refresh', async () => {
      model.select(`${HOME}notes.txt`);
      eos.page(HOME, [folder(HOME, 'data')]);
      await model.refresh(HOME);
      expect(model.selected).toBeNull();
    });

    it('signals the cleared selection when a refresh removes the selected node', async () => {
      model.select(`${HOME}notes.txt`);
      eos.page(HOME, [folder(HOME, 'data')]);
      const count = changes.length;
      await model.refresh(HOME);
      expect(changes.slice(count)).toContainEqual({ type: 'selection', uri: null });
      expect(changes.slice(count).filter(change => change.type === 'selection')).toHaveLength(1);
      expect(model.selected).toBeNull();
    });

    it('keeps the node selected when the refreshed listing still has it', async () => {
      model.select(`${HOME}notes.txt`);
      const count = changes.length;
      await model.refresh(`${HOME}notes.txt`);
      expect(model.selected?.uri).toBe(`${HOME}notes.txt`);
      expect(model.selection.map(node => node.uri)).toEqual([`${HOME}notes.txt`]);
      expect(changes.slice(count).some(change => change.type === 'selection')).toBe(false);
    });

    it('keeps the selection of the refreshed folder itself', async () => {
      model.select(HOME);
      const count = changes.length;
      await model.refresh(HOME);
      expect(model.selected?.uri).toBe(HOME);
      expect(changes.slice(count).some(change => change.type === 'selection')).toBe(false);
    });
  });

  describe('rows', () => {
    it('lists visible items depth first with a status row closing each expanded folder', async () => {
      eos.page(ORG, []);
      await model.initialize();
      expect(model.rows.map(row => [row.type, row.key, row.level])).toEqual([
        ['item', HOME, 1],
        ['item', `${HOME}data/`, 2],
        ['item', `${HOME}notes.txt`, 2],
        ['item', ORG, 1],
        ['empty', `status:${ORG}`, 2],
        ['item', GENCOVE, 1],
        ['item', `${GENCOVE}reference/`, 2],
        ['item', USERS, 1]
      ]);
    });
  });
});
