import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { addCommands } from '../commands';
import { EosBrowserPanel } from '../components/browser';
import { itemTooltip } from '../components/format';
import { EosBrowserModel } from '../model';
import { EosRequestError, requestAPI } from '../request';
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
    eos.page(`${HOME}data/`, [object(`${HOME}data/`, 'x.bam')]);
    eos.page('e://gencove/', [folder('e://gencove/', 'reference', 'read')], null, '', 'read');
    eos.fail(ORG, new EosRequestError('AccessDenied', 'You may not list e://org/', 403));
    (requestAPI as jest.Mock).mockImplementation(eos.request);
    model = new EosBrowserModel();
    const commands = new CommandRegistry();
    addCommands(commands, model, nullTranslator.load('jupyterlab_eos'));
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
    const roots = items().filter(el => el.getAttribute('aria-level') === '1');
    expect(roots.map(el => el.getAttribute('aria-label'))).toEqual(['My files', 'Organization', 'Gencove', 'Users']);
    expect(roots.map(el => el.dataset.uri)).toEqual([HOME, ORG, 'e://gencove/', 'e://users/']);
    expect(roots.map(el => el.getAttribute('aria-expanded'))).toEqual(['true', 'true', 'true', 'false']);
    expect(roots.every(el => el.classList.contains('jp-EosBrowser-item'))).toBe(true);
    expect(roots.map(el => el.dataset.access)).toEqual(['readwrite', 'readwrite', 'read', 'read']);
    expect(roots.every(el => el.dataset.kind === 'folder')).toBe(true);
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

  it('loads more with the Load more button', async () => {
    const more = Array.from(panel.node.querySelectorAll('.jp-EosBrowser-status button')).find(
      b => b.textContent === 'Load more'
    )!;
    await click(more);
    expect(items().some(el => el.dataset.uri === `${HOME}b.vcf`)).toBe(true);
    expect(model.roots[0].next).toBeNull();
  });

  it('selects on click, toggles folders, and selects on right-click without toggling', async () => {
    await click(item('data'));
    expect(item('data').getAttribute('aria-selected')).toBe('true');
    expect(item('data').getAttribute('aria-expanded')).toBe('true');
    expect(items().some(el => el.dataset.uri === `${HOME}data/x.bam`)).toBe(true);
    expect(item('data').tabIndex).toBe(0);

    await click(item('a.vcf'), 'contextmenu');
    expect(model.selected?.uri).toBe(`${HOME}a.vcf`);
    expect(item('data').getAttribute('aria-selected')).toBe('false');
    expect(item('a.vcf').tabIndex).toBe(0);
    expect(items().filter(el => el.tabIndex === 0)).toHaveLength(1);
  });

  it('moves with the arrow keys, expands and collapses with Right and Left, toggles with Enter', async () => {
    await click(item('My files'), 'contextmenu');
    await key(item('My files'), 'ArrowDown');
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
    expect(model.selected?.uri).toBe(HOME);
    await key(item('My files'), 'ArrowLeft');
    expect(item('My files').getAttribute('aria-expanded')).toBe('false');
  });

  it('runs eos:refresh from the header button, named "Refresh EOS": the selected folder, else every root', async () => {
    // JupyterLab's toolbar button: a <jp-button> whose shadow <button> takes its aria-label.
    const refresh = panel.node.querySelector<HTMLElement>('.jp-EosBrowser-header [data-command="eos:refresh"]')!;
    expect(refresh.getAttribute('aria-label')).toBe('Refresh EOS');
    expect(refresh.shadowRoot?.querySelector('button')?.getAttribute('aria-label')).toBe('Refresh EOS');
    let before = eos.listed().length;
    await click(refresh);
    expect(eos.listed().slice(before).sort()).toEqual([HOME, ORG, 'e://gencove/'].sort());

    await click(item('a.vcf'), 'contextmenu');
    before = eos.listed().length;
    await click(refresh);
    expect(eos.listed().slice(before)).toEqual([HOME]);
    expect(model.selected?.uri).toBe(`${HOME}a.vcf`);
  });

  it('re-renders only the rows that change: unchanged rows keep their tooltip', async () => {
    (itemTooltip as jest.Mock).mockClear();
    await click(item('data'));
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

    it('keeps focus on the row when Enter activates Load more, then gives it to the first new child', async () => {
      const release = eos.hold(HOME, 'next-1');
      await act(async () => item('Load more').focus());
      await key(item('Load more'), 'Enter');
      expectBusyRowFocused();

      await act(async () => release());
      await settle();
      expect(active()).toBe(item('b.vcf'));
      expect(model.selected?.uri).toBe(`${HOME}b.vcf`);
      await key(active(), 'ArrowUp');
      expect(active()).toBe(item('a.vcf'));
    });

    it('moves focus from a clicked Load more button to its row, not to the page', async () => {
      const release = eos.hold(HOME, 'next-1');
      await click(item('Load more').querySelector('button')!);
      expectBusyRowFocused();
      await act(async () => release());
      await settle();
      expect(active()).toBe(item('b.vcf'));
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
      expect(active()).toBe(item('team'));
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
      const release = eos.hold(HOME, 'next-1');
      await act(async () => item('Load more').focus());
      await key(item('Load more'), 'Enter');
      await key(active(), 'ArrowUp');
      expect(active()).toBe(item('a.vcf'));
      await act(async () => release());
      await settle();
      expect(active()).toBe(item('a.vcf'));
      expect(model.selected?.uri).toBe(`${HOME}a.vcf`);
    });
  });
});
