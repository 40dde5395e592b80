import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { addCommands } from '../commands';
import { EosBrowserPanel } from '../components/browser';
import { itemTooltip } from '../components/format';
import { EosBrowserModel } from '../model';
import { EosRequestError, requestAPI } from '../request';
import { CommandIDs } from '../tokens';
import { FakeEos, folder, object } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));
// Count the tooltips rows compute: a row that does not change must not compute its own again.
jest.mock('../components/format', () => {
  const actual = jest.requireActual('../components/format');
  return { ...actual, itemTooltip: jest.fn(actual.itemTooltip) };
});

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const HOME = 'e://users/me/';
const ORG = 'e://org/';
const DATA = `${HOME}data/`;
/** 60 objects after x.bam in data/: more rows than the screen holds. */
const MANY = Array.from({ length: 60 }, (_, i) => `y${String(i).padStart(2, '0')}`);

// jsdom has no layout: give the tree a 240 px viewport (10 rows), which the virtualiser reads.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get() {
      return (this as HTMLElement).classList.contains('jp-EosBrowser-tree') ? 240 : 0;
    }
  });
  // jsdom does not scroll: make scrollTo set the offset and say so, as a browser does.
  HTMLElement.prototype.scrollTo = function (this: HTMLElement, options?: ScrollToOptions | number) {
    this.scrollTop = typeof options === 'object' ? (options.top ?? this.scrollTop) : (options ?? 0);
    this.dispatchEvent(new Event('scroll'));
  } as typeof HTMLElement.prototype.scrollTo;
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get() {
      // The tree's content: the height the virtualiser gives its list of rows.
      const rows = (this as HTMLElement).querySelector<HTMLElement>(':scope > .jp-EosBrowser-rows');
      return rows ? parseFloat(rows.style.height) || 0 : 0;
    }
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get() {
      return (this as HTMLElement).classList.contains('jp-EosBrowser-tree') ? 300 : 0;
    }
  });
});

/** Let pending requests and renders settle. */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

describe('EosBrowserPanel', () => {
  let eos: FakeEos;
  let model: EosBrowserModel;
  let panel: EosBrowserPanel;

  const tree = () => panel.node.querySelector('[role="tree"]') as HTMLElement;
  const items = () => Array.from(panel.node.querySelectorAll<HTMLElement>('[role="treeitem"]'));
  const item = (name: string) => items().find(el => el.getAttribute('aria-label') === name)!;
  const key = async (target: HTMLElement, name: string) => {
    await act(async () => {
      target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
    });
    await settle();
  };
  const click = async (target: Element, type = 'click') => {
    await act(async () => {
      target.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    });
    await settle();
  };

  beforeEach(async () => {
    eos = new FakeEos();
    eos.page(HOME, [folder(HOME, 'data'), folder(HOME, ''), object(HOME, 'a.vcf', 2_500_000)], 'next-1');
    eos.page(HOME, [object(HOME, 'b.vcf')], null, 'next-1');
    eos.page(DATA, [object(DATA, 'x.bam'), ...MANY.map(name => object(DATA, name))], 'd1');
    eos.page(DATA, [object(DATA, 'z.bam')], null, 'd1');
    eos.page('e://gencove/', [folder('e://gencove/', 'reference', 'read')], null, '', 'read');
    eos.fail(ORG, new EosRequestError('AccessDenied', 'You may not list e://org/', 403));
    (requestAPI as jest.Mock).mockImplementation(eos.request);
    model = new EosBrowserModel();
    const commands = new CommandRegistry();
    addCommands(commands, model, nullTranslator.load('jupyterlab_eos'));
    if (!commands.hasCommand(CommandIDs.refreshAll)) {
      commands.addCommand(CommandIDs.refreshAll, { label: 'Refresh EOS', execute: () => model.refreshAll() });
    }
    panel = new EosBrowserPanel({ model, commands });
    await act(async () => {
      Widget.attach(panel, document.body);
    });
    await settle();
  });

  afterEach(() => {
    act(() => panel.dispose());
    model.dispose();
  });

  it('starts the model when shown and renders an ARIA tree with the four roots', () => {
    expect(panel.id).toBe('eos-browser');
    expect(panel.title.caption).toBe('EOS (Explorer Object Storage)');
    expect(panel.node.querySelector('.jp-EosBrowser-title')?.textContent).toBe('EOS');
    expect(tree().getAttribute('aria-label')).toBe('EOS');
    expect(tree().getAttribute('aria-multiselectable')).toBe('true');
    expect(tree().dataset.lmDragscroll).toBe('true');
    const roots = items().filter(el => el.getAttribute('aria-level') === '1');
    expect(roots.map(el => el.getAttribute('aria-label'))).toEqual(['My files', 'Organization', 'Gencove', 'Users']);
    expect(roots.map(el => el.dataset.uri)).toEqual([HOME, ORG, 'e://gencove/', 'e://users/']);
    expect(roots.map(el => el.getAttribute('aria-expanded'))).toEqual(['true', 'true', 'true', 'false']);
    expect(roots.every(el => el.classList.contains('jp-EosBrowser-item'))).toBe(true);
    expect(roots.map(el => el.dataset.access)).toEqual(['readwrite', 'readwrite', 'read', 'read']);
    expect(roots.every(el => el.dataset.kind === 'folder')).toBe(true);
    expect(roots.map(el => [el.getAttribute('aria-posinset'), el.getAttribute('aria-setsize')])).toEqual([
      ['1', '4'],
      ['2', '4'],
      ['3', '4'],
      ['4', '4']
    ]);
  });

  it('renders items with levels, a placeholder for empty names, sizes in the tooltip and read-only badges', () => {
    const file = items().find(el => el.dataset.uri === `${HOME}a.vcf`)!;
    expect(file.getAttribute('aria-level')).toBe('2');
    expect(file.hasAttribute('aria-expanded')).toBe(false);
    expect(file.title).toContain('Size: 2.5 MB');
    const empty = items().find(el => el.dataset.uri === `${HOME}/`)!;
    expect(empty.getAttribute('aria-label')).toBe('(empty name)');
    expect(empty.querySelector('.jp-mod-placeholder')?.textContent).toBe('(empty name)');
    const badged = items().filter(el => el.querySelector('.jp-EosBrowser-badge'));
    expect(badged.map(el => el.getAttribute('aria-label'))).toEqual(['Gencove', 'Users']);
    expect(item('Users').getAttribute('aria-description')).toBe('Read-only');
  });

  it('shows a failed listing inline, with a Retry button that lists again', async () => {
    const row = panel.node.querySelector('.jp-EosBrowser-status.jp-mod-error') as HTMLElement;
    expect(row.textContent).toContain('Access denied');
    expect(row.textContent).toContain('You may not list e://org/');
    eos.page(ORG, [folder(ORG, 'team')]);
    await click(row.querySelector('button')!);
    expect(panel.node.querySelector('.jp-EosBrowser-status.jp-mod-error')).toBeNull();
    expect(items().some(el => el.dataset.uri === `${ORG}team/`)).toBe(true);
  });

  it('fetches the next page by itself when the Load more row is on screen, once', () => {
    expect(items().some(el => el.dataset.uri === `${HOME}b.vcf`)).toBe(true);
    expect(model.roots[0].next).toBeNull();
    expect(eos.calls.filter(call => call.query.uri === HOME && call.query.cursor === 'next-1')).toHaveLength(1);
  });

  it('renders only the rows on screen, and fetches more when the end of a folder scrolls into view', async () => {
    await click(item('data'), 'dblclick');
    expect(model.rows.length).toBeGreaterThan(60);
    expect(items().length).toBeLessThanOrEqual(30);
    expect(items().some(el => el.dataset.uri === `${DATA}y59`)).toBe(false);
    expect(eos.calls.some(call => call.query.cursor === 'd1')).toBe(false);

    await act(async () => {
      tree().scrollTop = 24 * 60;
      tree().dispatchEvent(new Event('scroll'));
    });
    await settle();
    expect(items().some(el => el.dataset.uri === `${DATA}y59`)).toBe(true);
    expect(eos.calls.filter(call => call.query.cursor === 'd1')).toHaveLength(1);
    expect(model.children(DATA)).toHaveLength(62);
  });

  it('selects on click, toggles folders on double click and on the caret, selects on right-click', async () => {
    // A single click selects without toggling (JupyterLab's file browser: a click picks a target).
    await click(item('My files'));
    expect(item('My files').getAttribute('aria-selected')).toBe('true');
    expect(item('My files').getAttribute('aria-expanded')).toBe('true');
    await click(item('data'));
    expect(item('data').getAttribute('aria-selected')).toBe('true');
    expect(item('data').getAttribute('aria-expanded')).toBe('false');
    // A double click toggles it (its two clicks only select).
    await click(item('data'));
    await click(item('data'), 'dblclick');
    expect(item('data').getAttribute('aria-expanded')).toBe('true');
    await click(item('data'), 'dblclick');
    expect(item('data').getAttribute('aria-expanded')).toBe('false');
    // The caret toggles on a single click; the second click of a double click on it does nothing more.
    const caret = () => item('data').querySelector('.jp-EosBrowser-caret')!;
    await act(async () => {
      caret().dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }));
    });
    await settle();
    expect(item('data').getAttribute('aria-expanded')).toBe('true');
    await act(async () => {
      caret().dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 2 }));
      caret().dispatchEvent(new MouseEvent('dblclick', { bubbles: true, detail: 2 }));
    });
    await settle();
    expect(item('data').getAttribute('aria-expanded')).toBe('true');
    expect(items().some(el => el.dataset.uri === `${HOME}data/x.bam`)).toBe(true);
    expect(item('data').tabIndex).toBe(0);

    await click(item('x.bam'), 'contextmenu');
    expect(model.selected?.uri).toBe(`${DATA}x.bam`);
    expect(item('data').getAttribute('aria-selected')).toBe('false');
    expect(item('x.bam').tabIndex).toBe(0);
    expect(items().filter(el => el.tabIndex === 0)).toHaveLength(1);
  });

  it('toggles the selection with Ctrl-click, selects ranges with Shift-click, Shift+Arrow and Ctrl+A', async () => {
    await click(item('a.vcf'));
    await act(async () => {
      item('My files').dispatchEvent(new MouseEvent('click', { bubbles: true, ctrlKey: true }));
    });
    const selected = () =>
      items()
        .filter(el => el.getAttribute('aria-selected') === 'true')
        .map(el => el.getAttribute('aria-label'));
    expect(selected()).toEqual(['My files', 'a.vcf']);
    expect(model.node(HOME)?.expanded).toBe(true); // a modified click does not toggle
    await act(async () => {
      item('data').dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    });
    // Ctrl-click moved the anchor to My files.
    expect(selected()).toEqual(['My files', '(empty name)', 'data']);
    await act(async () => {
      item('(empty name)').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    await act(async () => {
      item('(empty name)').dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowDown', shiftKey: true, bubbles: true })
      );
    });
    await settle();
    expect(selected()).toEqual(['(empty name)', 'data']);
    expect(document.activeElement).toBe(item('data'));
    await act(async () => {
      item('data').dispatchEvent(new KeyboardEvent('keydown', { key: 'a', ctrlKey: true, bubbles: true }));
    });
    expect(selected()).toEqual(['(empty name)', 'data', 'a.vcf', 'b.vcf']);
    expect(model.selection.map(node => node.name)).toEqual(['', 'data', 'a.vcf', 'b.vcf']);
  });

  it('moves with the arrow keys, expands and collapses with Right and Left, toggles with Enter', async () => {
    await click(item('My files'), 'contextmenu');
    await key(item('My files'), 'ArrowDown');
    // The empty name sorts first.
    expect(model.selected?.uri).toBe(`${HOME}/`);
    await key(item('(empty name)'), 'ArrowDown');
    expect(model.selected?.uri).toBe(`${HOME}data/`);
    expect(document.activeElement).toBe(item('data'));

    await key(item('data'), 'ArrowRight');
    expect(item('data').getAttribute('aria-expanded')).toBe('true');
    await key(item('data'), 'ArrowRight');
    expect(model.selected?.uri).toBe(`${HOME}data/x.bam`);
    await key(item('x.bam'), 'ArrowLeft');
    expect(model.selected?.uri).toBe(`${HOME}data/`);
    await key(item('data'), 'ArrowLeft');
    expect(item('data').getAttribute('aria-expanded')).toBe('false');
    await key(item('data'), 'Enter');
    expect(item('data').getAttribute('aria-expanded')).toBe('true');
    await key(item('data'), 'ArrowUp');
    await key(item('(empty name)'), 'ArrowUp');
    expect(model.selected?.uri).toBe(HOME);
    await key(item('My files'), 'ArrowLeft');
    expect(item('My files').getAttribute('aria-expanded')).toBe('false');
  });

  it('runs eos:refresh-all from the header button, named "Refresh EOS": every expanded folder', async () => {
    // JupyterLab's toolbar button: a <jp-button> whose shadow <button> takes its aria-label.
    const refresh = panel.node.querySelector<HTMLElement>('.jp-EosBrowser-header [data-command="eos:refresh-all"]')!;
    expect(refresh.getAttribute('aria-label')).toBe('Refresh EOS');
    await click(item('a.vcf'), 'contextmenu');
    const before = eos.calls.length;
    await click(refresh);
    const firstPages = eos.calls.slice(before).filter(call => call.query.cursor === undefined);
    expect(firstPages.map(call => call.query.uri).sort()).toEqual([HOME, ORG, 'e://gencove/'].sort());
    expect(model.selected?.uri).toBe(`${HOME}a.vcf`);
  });

  it('re-renders only the rows that change: unchanged rows keep their tooltip', async () => {
    (itemTooltip as jest.Mock).mockClear();
    await click(item('data'), 'dblclick');
    const computed = (itemTooltip as jest.Mock).mock.calls.map(([node]) => node.uri);
    expect(computed).toContain(`${HOME}data/x.bam`);
    for (const unchanged of [`${HOME}a.vcf`, `${HOME}/`, ORG, 'e://gencove/reference/', 'e://users/']) {
      expect(computed).not.toContain(unchanged);
    }
  });

  describe('focus while a page loads', () => {
    const active = () => document.activeElement as HTMLElement;
    const inTree = () => tree().contains(document.activeElement);
    const expectBusyRowFocused = () => {
      expect(inTree()).toBe(true);
      expect(active()).toMatchObject({ tabIndex: 0, textContent: 'Loading…' });
      expect(active().getAttribute('role')).toBe('treeitem');
      expect(active().getAttribute('aria-busy')).toBe('true');
    };

    /** Expand data/ and move the keyboard to its last loaded child (type-ahead finds it off screen). */
    const toLastChild = async () => {
      await click(item('data'), 'dblclick');
      for (const letter of 'y59') {
        await key(tree().contains(active()) ? active() : item('data'), letter);
      }
      expect(active()).toBe(item('y59'));
    };

    it('keeps focus on a Load more row the keyboard reaches while it loads, then gives it to the first new child', async () => {
      const release = eos.hold(DATA, 'd1');
      await toLastChild();
      await key(active(), 'ArrowDown');
      expectBusyRowFocused();
      expect(eos.calls.filter(call => call.query.cursor === 'd1')).toHaveLength(1);

      await act(async () => release());
      await settle();
      expect(active()).toBe(item('z.bam'));
      expect(model.selected?.uri).toBe(`${DATA}z.bam`);
      await key(active(), 'ArrowUp');
      expect(active()).toBe(item('y59'));
    });

    it('goes Home and End across rows that are not rendered', async () => {
      await toLastChild();
      await key(active(), 'Home');
      expect(active()).toBe(item('My files'));
      await key(active(), 'End');
      expect(active()).toBe(item('Users'));
    });

    const errorRow = () => items().find(el => el.classList.contains('jp-mod-error'))!;

    it('keeps focus on the row when Enter activates Retry, then gives it to the first child', async () => {
      eos.page(ORG, [folder(ORG, 'team'), folder(ORG, 'shared')]);
      const release = eos.hold(ORG);
      await act(async () => errorRow().focus());
      await key(errorRow(), 'Enter');
      expectBusyRowFocused();
      await act(async () => release());
      await settle();
      expect(active()).toBe(item('shared')); // the first in sorted order
    });

    it('keeps focus on the error when Retry fails again, and gives it to an empty folder', async () => {
      await act(async () => errorRow().focus());
      await key(errorRow(), 'Enter');
      expect(active()).toBe(errorRow());
      expect(active().textContent).toContain('Access denied');

      eos.page(ORG, []);
      await key(errorRow(), 'Enter');
      expect(active()).toBe(item('Organization'));
      expect(model.selected?.uri).toBe(ORG);
    });

    it('leaves focus alone when the user moved on before the page arrived', async () => {
      const release = eos.hold(DATA, 'd1');
      await toLastChild();
      await key(active(), 'ArrowDown');
      await key(active(), 'ArrowUp');
      expect(active()).toBe(item('y59'));
      await act(async () => release());
      await settle();
      expect(active()).toBe(item('y59'));
      expect(model.selected?.uri).toBe(`${DATA}y59`);
    });
  });
});
