/**
 * TreeFreshness: the folders the service reports touched are listed again
 * only where the tree shows them, one listing each, coalesced.
 */
import { EosBrowserModel } from '../model';
import { TreeFreshness } from '../freshness';
import { FakeEos, OTHER_ID, folder, object } from './fake';

const HOME = 'e://users/me/';
const DATA = `${HOME}data/`;
const ARCHIVE = `${HOME}archive/`;

/** Let the refreshes started by an invalidation run to their end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

describe('TreeFreshness', () => {
  let eos: FakeEos;
  let model: EosBrowserModel;
  let freshness: TreeFreshness;

  beforeEach(async () => {
    eos = new FakeEos();
    eos.page(HOME, [folder(HOME, 'archive'), folder(HOME, 'data'), object(HOME, 'notes.txt')]);
    eos.page('e://org/', []);
    eos.page('e://gencove/', [], null, '', 'read');
    eos.page(DATA, [folder(DATA, 'sub'), object(DATA, 'a.txt')]);
    eos.page(ARCHIVE, [object(ARCHIVE, 'x.txt')]);
    model = new EosBrowserModel({ pageSize: 100, request: eos.requester });
    freshness = new TreeFreshness(model);
    await model.initialize();
    await model.expand(DATA);
    await model.expand(ARCHIVE);
    model.collapse(ARCHIVE); // listed, but not shown
    eos.calls = [];
  });

  afterEach(() => model.dispose());

  it('lists an expanded folder again, and nothing else', async () => {
    eos.page(DATA, [folder(DATA, 'sub'), object(DATA, 'a.txt'), object(DATA, 'uploaded.txt')]);
    freshness.invalidate({ written: [DATA], removed: [] });
    await settle();
    expect(eos.listed()).toEqual([DATA]);
    expect(model.children(DATA)).toEqual([`${DATA}sub/`, `${DATA}a.txt`, `${DATA}uploaded.txt`]);
  });

  it('lists the nearest listed folder when a write creates a child it does not show yet', async () => {
    eos.page(HOME, [folder(HOME, 'archive'), folder(HOME, 'data'), folder(HOME, 'new'), object(HOME, 'notes.txt')]);
    freshness.invalidate({ written: [`${HOME}new/deep/`], removed: [] });
    await settle();
    expect(eos.listed()).toEqual([HOME]);
    expect(model.children(HOME)).toContain(`${HOME}new/`);
  });

  it('lists nothing for a write below a child already shown, or in folders the tree never listed', async () => {
    freshness.invalidate({ written: [`${DATA}sub/deeper/`, `e://users/${OTHER_ID}/x/`], removed: [] });
    await settle();
    expect(eos.listed()).toEqual([]);
  });

  it('drops the listing of a collapsed folder without a request (listed afresh when expanded)', async () => {
    freshness.invalidate({ written: [ARCHIVE], removed: [] });
    await settle();
    expect(eos.listed()).toEqual([]);
    expect(model.node(ARCHIVE)?.loaded).toBeNull();
    eos.page(ARCHIVE, [object(ARCHIVE, 'x.txt'), object(ARCHIVE, 'y.txt')]);
    await model.expand(ARCHIVE);
    expect(model.children(ARCHIVE)).toEqual([`${ARCHIVE}x.txt`, `${ARCHIVE}y.txt`]);
  });

  it('when a removal empties an expanded folder, lists its parent too (the folder is gone)', async () => {
    eos.page(DATA, []);
    eos.page(HOME, [folder(HOME, 'archive'), object(HOME, 'notes.txt')]);
    freshness.invalidate({ written: [], removed: [DATA] });
    await settle();
    expect(eos.listed()).toEqual([DATA, HOME]);
    expect(model.node(DATA)).toBeUndefined();
  });

  it('lists the parent of a collapsed folder a removal touched (it may be gone)', async () => {
    freshness.invalidate({ written: [], removed: [`${ARCHIVE}`] });
    await settle();
    expect(eos.listed()).toEqual([HOME]);
  });

  it('coalesces: changes arriving during a listing queue one more, not one each', async () => {
    const release = eos.hold(DATA);
    freshness.invalidate({ written: [DATA], removed: [] });
    freshness.invalidate({ written: [DATA], removed: [] });
    freshness.invalidate({ written: [DATA], removed: [] });
    release();
    await settle();
    expect(eos.listed()).toEqual([DATA, DATA]);
  });
});
