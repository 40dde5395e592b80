import { EosBrowserModel } from '../model';
import { FakeEos, folder, object } from './fake';

const HOME = 'e://users/me/';
const ORG = 'e://org/';
const DATA = `${HOME}data/`;

describe('EosBrowserModel selection and state', () => {
  let eos: FakeEos;
  let model: EosBrowserModel;

  beforeEach(async () => {
    eos = new FakeEos();
    eos.page(HOME, [folder(HOME, 'data'), object(HOME, 'a.txt'), object(HOME, 'b.txt'), object(HOME, 'c.txt')]);
    eos.page(DATA, [object(DATA, 'x.bam'), object(DATA, 'y.bam')]);
    eos.page(ORG, [folder(ORG, 'shared')]);
    model = new EosBrowserModel({ request: eos.requester });
    await model.initialize();
  });

  afterEach(() => model.dispose());

  const selection = () => model.selection.map(node => node.uri);

  it('toggles items with Ctrl-click, keeping tree order and moving the focus', () => {
    model.select(`${HOME}c.txt`);
    model.toggleSelected(`${HOME}a.txt`);
    model.toggleSelected(ORG);
    expect(selection()).toEqual([`${HOME}a.txt`, `${HOME}c.txt`, ORG]);
    expect(model.selected?.uri).toBe(ORG);
    expect(model.isSelected(`${HOME}a.txt`)).toBe(true);
    model.toggleSelected(`${HOME}a.txt`);
    expect(selection()).toEqual([`${HOME}c.txt`, ORG]);
    model.toggleSelected('e://org/unknown');
    expect(selection()).toEqual([`${HOME}c.txt`, ORG]);
  });

  it('selects a range of visible rows from the anchor with Shift', async () => {
    await model.expand(DATA);
    model.select(`${HOME}b.txt`);
    model.selectRange(`${DATA}x.bam`);
    expect(selection()).toEqual([`${DATA}x.bam`, `${DATA}y.bam`, `${HOME}a.txt`, `${HOME}b.txt`]);
    expect(model.selected?.uri).toBe(`${DATA}x.bam`);
    // The anchor stays: extending again starts from it.
    model.selectRange(`${HOME}c.txt`);
    expect(selection()).toEqual([`${HOME}b.txt`, `${HOME}c.txt`]);
  });

  it("selects all the focused item's siblings with Ctrl+A", () => {
    model.select(`${HOME}b.txt`);
    model.selectAll();
    expect(selection()).toEqual([DATA, `${HOME}a.txt`, `${HOME}b.txt`, `${HOME}c.txt`]);
    expect(model.selected?.uri).toBe(`${HOME}b.txt`);
  });

  it('keeps the selection of collapsed or reloaded items by URI', async () => {
    await model.expand(DATA);
    model.select(`${DATA}y.bam`);
    model.collapse(DATA);
    expect(selection()).toEqual([`${DATA}y.bam`]);
    await model.refresh(DATA);
    await model.expand(DATA);
    expect(selection()).toEqual([`${DATA}y.bam`]);
  });

  it('saves and restores expanded folders and the selection, ignoring what no longer exists', async () => {
    await model.expand(DATA);
    model.collapse(ORG);
    model.select(`${DATA}y.bam`);
    model.toggleSelected(`${HOME}a.txt`);
    const state = JSON.parse(JSON.stringify(model.saveState()));
    expect(state.expanded.sort()).toEqual([HOME, DATA, 'e://gencove/'].sort());

    const restored = new EosBrowserModel({ request: eos.requester });
    restored.restoreState({
      ...state,
      expanded: [...state.expanded, `${HOME}gone/`],
      selection: [...state.selection, `${HOME}gone.txt`]
    });
    await restored.initialize();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(restored.node(DATA)?.expanded).toBe(true);
    expect(restored.node(ORG)?.expanded).toBe(false);
    expect(restored.children(DATA)).toEqual([`${DATA}x.bam`, `${DATA}y.bam`]);
    expect(restored.selection.map(node => node.uri)).toEqual([`${DATA}y.bam`, `${HOME}a.txt`]);
    expect(restored.selected?.uri).toBe(`${HOME}a.txt`);
    restored.dispose();
  });

  it('applies a state restored after the tree loaded', async () => {
    model.restoreState({ expanded: [HOME, DATA], selection: [`${DATA}x.bam`], focus: `${DATA}x.bam` });
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(model.node(DATA)?.expanded).toBe(true);
    expect(model.node(ORG)?.expanded).toBe(false);
    expect(model.selected?.uri).toBe(`${DATA}x.bam`);
  });
});
