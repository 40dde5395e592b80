/**
 * The browser's state across reloads (IStateDB): expanded folders, the
 * selection and the scroll offset.
 */
import type { IStateDB } from '@jupyterlab/statedb';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';

import type { EosBrowserPanel } from './components/browser';
import { EosBrowserModel } from './model';

/** The state DB key. */
export const STATE_KEY = 'jupyterlab-eos:browser';

/** How long changes settle before the state is saved, in ms. */
const SAVE_DELAY_MS = 500;

/** What is saved. */
export interface IBrowserState extends EosBrowserModel.IState {
  scroll: number;
}

/**
 * Restore the saved state into the model and the panel, then save it after
 * every change (debounced) and when the page is left. A state that does not
 * parse is ignored.
 */
export async function trackState(db: IStateDB, model: EosBrowserModel, panel: EosBrowserPanel): Promise<IDisposable> {
  try {
    const saved = (await db.fetch(STATE_KEY)) as Partial<IBrowserState> | undefined;
    if (saved && typeof saved === 'object') {
      model.restoreState(saved);
      if (typeof saved.scroll === 'number' && saved.scroll > 0) {
        panel.restoreScroll(saved.scroll);
      }
    }
  } catch (reason) {
    console.warn('jupyterlab-eos: the saved browser state could not be read', reason);
  }
  let timer: number | undefined;
  const save = () => {
    window.clearTimeout(timer);
    timer = undefined;
    const state: IBrowserState = { ...model.saveState(), scroll: panel.scrollOffset };
    void db.save(STATE_KEY, state as unknown as ReadonlyPartialJSONObject).catch(() => undefined);
  };
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, SAVE_DELAY_MS);
  };
  // What is saved changes with a node (expanded) or the selection.
  model.nodeChanged.connect(schedule);
  model.selectionChanged.connect(schedule);
  panel.node.addEventListener('scroll', schedule, true);
  window.addEventListener('beforeunload', save);
  let isDisposed = false;
  return {
    get isDisposed() {
      return isDisposed;
    },
    dispose() {
      isDisposed = true;
      window.clearTimeout(timer);
      model.nodeChanged.disconnect(schedule);
      model.selectionChanged.disconnect(schedule);
      panel.node.removeEventListener('scroll', schedule, true);
      window.removeEventListener('beforeunload', save);
    }
  };
}

/** The state DB key saying the EOS panel was shown to this workspace once. */
export const FIRST_VISIT_KEY = 'jupyterlab-eos:first-visit';

/**
 * A new workspace shows the EOS panel once, so a new user sees EOS without
 * looking for its tab. Runs after the layout is restored; afterwards the
 * restored layout (the user's last choice) always decides. `show` brings the
 * panel forward.
 */
export async function showOnFirstVisit(db: IStateDB, restored: Promise<void>, show: () => void): Promise<boolean> {
  await restored;
  if ((await db.fetch(FIRST_VISIT_KEY)) !== undefined) {
    return false;
  }
  show();
  await db.save(FIRST_VISIT_KEY, new Date().toISOString());
  return true;
}
