import { StateDB } from '@jupyterlab/statedb';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { EosBrowserPanel } from '../components/browser';
import { EosBrowserModel } from '../model';
import type { EosRequest } from '../request';
import { EosSettings } from '../settings';
import { STATE_KEY, trackState } from '../state';
import { Routes } from '../../core';
import { FakeEos, WHOAMI, folder, object } from './fake';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const HOME = 'e://users/me/';
const DATA = `${HOME}data/`;

beforeAll(() => {
  // jsdom has no layout: a 240 px tree, which the virtualiser reads.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get() {
      return (this as HTMLElement).classList.contains('jp-EosBrowser-tree') ? 240 : 0;
    }
  });
});

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

/** Type into an input as a user does (React listens to `input` events). */
async function type(input: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settle();
}

async function press(target: HTMLElement, key: string): Promise<void> {
  await act(async () => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  });
  await settle();
}

describe('EosBrowserPanel views', () => {
  let eos: FakeEos;
  let settings: EosSettings;
  let model: EosBrowserModel;
  let panel: EosBrowserPanel;

  const $ = <T extends Element = HTMLElement>(selector: string) => panel.node.querySelector<T>(selector);
  const items = () => Array.from(panel.node.querySelectorAll<HTMLElement>('[role="treeitem"]'));
  const names = () => items().map(el => el.getAttribute('aria-label'));

  beforeEach(async () => {
    eos = new FakeEos();
    eos.page(HOME, [
      folder(HOME, 'data'),
      object(HOME, 'notes.txt', 10),
      object(HOME, 'big.bam', 5000),
      object(HOME, 'old.vcf', 1)
    ]);
    eos.page(DATA, [object(DATA, 'x.bam')]);
    settings = new EosSettings();
    model = new EosBrowserModel({ settings, request: eos.requester });
    panel = new EosBrowserPanel({ model, commands: new CommandRegistry() });
    await act(async () => {
      Widget.attach(panel, document.body);
    });
    await settle();
  });

  afterEach(() => {
    act(() => panel.dispose());
    model.dispose();
  });

  describe('path bar', () => {
    const input = () => $<HTMLInputElement>('input[aria-label="Go to EOS location"]')!;

    it("shows the focused item's folder as breadcrumbs that reveal it", async () => {
      await act(async () => model.select(`${HOME}notes.txt`));
      const crumbs = Array.from(panel.node.querySelectorAll<HTMLElement>('nav[aria-label="Current folder"] button'));
      expect(crumbs.map(el => el.textContent)).toEqual(['My files']);
      expect(crumbs[0].getAttribute('aria-current')).toBe('location');
      await act(async () => crumbs[0].click());
      await settle();
      expect(model.selected?.uri).toBe(HOME);
    });

    it('opens as text on eos:go-to, goes to e:// and s3:// locations, and says what is wrong', async () => {
      await act(async () => panel.focusPathBar());
      await settle();
      expect(document.activeElement).toBe(input());

      await type(input(), 'e://nowhere/');
      await press(input(), 'Enter');
      expect($('[role="alert"]')?.textContent).toBe(
        "Invalid namespace 'nowhere'. Valid namespaces are: users, org, gencove"
      );
      expect(input().getAttribute('aria-invalid')).toBe('true');

      await type(input(), 's3://pub-data/phase3/x.vcf');
      await press(input(), 'Enter');
      expect($('[role="alert"]')?.textContent).toBe(
        's3://pub-data/phase3/x.vcf is outside EOS and not an added S3 location: add it with Add S3 Location… first'
      );

      await type(input(), `s3://${WHOAMI.orgBucket}/users/${WHOAMI.userId}/files/data/x.bam`);
      await press(input(), 'Enter');
      expect(model.selected?.uri).toBe(`${DATA}x.bam`);
      expect(model.node(DATA)?.expanded).toBe(true);
      expect(input()).toBeNull();
      expect(document.activeElement?.getAttribute('data-uri')).toBe(`${DATA}x.bam`);

      await act(async () => panel.focusPathBar());
      await settle();
      expect(input().value).toBe(DATA);
      await type(input(), `${HOME}missing.txt`);
      await press(input(), 'Enter');
      expect($('[role="alert"]')?.textContent).toBe(`${HOME}missing.txt does not exist`);
      await press(input(), 'Escape');
      expect(input()).toBeNull();
    });
  });

  describe('filter', () => {
    it('filters the loaded names of the current folder and clears with Escape', async () => {
      await act(async () => model.select(`${HOME}notes.txt`));
      const box = $<HTMLInputElement>('input[aria-label="Filter My files"]')!;
      await type(box, 'B');
      expect($('.jp-EosBrowser-filterMode')?.textContent).toBe('Filtering loaded names');
      expect(names()).toEqual(['My files', 'big.bam', 'Organization', 'Gencove', 'Users']);
      await press(box, 'Escape');
      expect(box.value).toBe('');
      expect($('.jp-EosBrowser-filterMode')).toBeNull();
      expect(names()).toContain('notes.txt');
    });
  });

  describe('column header', () => {
    it('sorts by the clicked column, and the other way on a second click', async () => {
      const button = (name: string) =>
        Array.from(panel.node.querySelectorAll<HTMLButtonElement>('.jp-EosBrowser-column')).find(
          b => b.textContent === name
        )!;
      expect(button('Name').getAttribute('aria-pressed')).toBe('true');
      await act(async () => button('Size').click());
      expect(settings.values).toMatchObject({ sortBy: 'size', sortDirection: 'ascending' });
      expect(button('Size').dataset.sort).toBe('ascending');
      expect(names().slice(1, 6)).toEqual(['data', 'old.vcf', 'notes.txt', 'big.bam', 'Organization']);
      await act(async () => button('Size').click());
      expect(settings.values.sortDirection).toBe('descending');
      expect(names().slice(1, 6)).toEqual(['data', 'big.bam', 'notes.txt', 'old.vcf', 'Organization']);
      // Size and modified show as columns.
      expect(items()[2].querySelector('.jp-EosBrowser-size')?.textContent).toBe('5.0 kB');
      await act(async () => settings.update({ columns: [] }));
      expect(panel.node.querySelector('.jp-EosBrowser-size')).toBeNull();
    });
  });

  describe('state', () => {
    it('saves expanded folders, selection and scroll, and restores them into a new model', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const db = new StateDB();
      const tracking = await trackState(db, model, panel);
      await act(async () => {
        await model.expand(DATA);
        model.select(`${DATA}x.bam`);
      });
      jest.advanceTimersByTime(1000);
      jest.useRealTimers();
      const saved = (await db.fetch(STATE_KEY)) as any;
      expect(saved).toMatchObject({ selection: [`${DATA}x.bam`], focus: `${DATA}x.bam`, scroll: 0 });
      expect(saved.expanded).toContain(DATA);
      tracking.dispose();

      await db.save(STATE_KEY, { ...saved, scroll: 48 });
      const restored = new EosBrowserModel({ request: eos.requester });
      const other = {
        restoreScroll: jest.fn(),
        scrollOffset: 0,
        node: document.createElement('div')
      } as unknown as EosBrowserPanel;
      (await trackState(db, restored, other)).dispose();
      await restored.initialize();
      await settle();
      expect(restored.node(DATA)?.expanded).toBe(true);
      expect(restored.selected?.uri).toBe(`${DATA}x.bam`);
      expect(other.restoreScroll).toHaveBeenCalledWith(48);
      restored.dispose();
    });
  });
});

/**
 * The EOS panel is never blank while it waits: from its first paint (even
 * before it asks) until `whoami` answers it says it is connecting, then each
 * root says "Loading…" until its first listing arrives.
 */
describe('the EOS panel while it connects', () => {
  let eos: FakeEos;
  let model: EosBrowserModel;
  let panel: EosBrowserPanel;
  let releaseWhoami: () => void;

  beforeEach(() => {
    eos = new FakeEos();
    eos.page(HOME, [object(HOME, 'a.vcf')]);
    const whoami = new Promise<void>(resolve => (releaseWhoami = resolve));
    const request = (async (route: string, options: any) => {
      if (route === Routes.whoami) {
        await whoami;
      }
      return eos.request(route, options);
    }) as EosRequest;
    model = new EosBrowserModel({ request });
    panel = new EosBrowserPanel({ model, commands: new CommandRegistry() });
  });

  afterEach(() => {
    act(() => panel.dispose());
    model.dispose();
  });

  const status = () => panel.node.querySelector('[role="status"]');
  const loadingRows = () => panel.node.querySelectorAll('[role="treeitem"][aria-busy="true"]');

  it('is labelled "EOS" in the sidebar, beside its icon, so a newcomer finds it', () => {
    expect(panel.title.label).toBe('EOS');
    expect(panel.title.icon).toBeTruthy();
    expect(panel.title.caption).toBe('EOS (Explorer Object Storage)');
  });

  it('says "Connecting to EOS…" from its first paint, before it has asked', async () => {
    // Restored behind another sidebar tab: painted, not yet shown, so not yet asking.
    panel.hide();
    await act(async () => Widget.attach(panel, document.body));
    await settle();
    expect(model.initializing).toBe(false);
    expect(status()?.textContent).toBe('Connecting to EOS…');
    expect(status()?.getAttribute('aria-busy')).toBe('true');
  });

  it('stays busy until whoami, then shows each root loading until its listing arrives', async () => {
    const release = eos.hold(HOME);
    await act(async () => Widget.attach(panel, document.body));
    await settle();
    expect(status()?.textContent).toBe('Connecting to EOS…');
    await act(async () => releaseWhoami());
    await settle();
    expect(status()).toBeNull();
    expect(Array.from(loadingRows()).map(el => el.textContent)).toContain('Loading…');
    await act(async () => release());
    await settle();
    expect(panel.node.querySelector('[role="treeitem"][aria-label="a.vcf"]')).not.toBeNull();
  });
});
