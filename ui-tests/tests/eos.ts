/**
 * The EOS panel as a user reaches it, shared by the specs: open it, find a
 * row, drag a row onto another, refresh My files, pick a context-menu entry.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

/**
 * Open the EOS panel (unless it is shown already: by the restored layout, or
 * by a new workspace's first load; clicking the tab of the panel shown would
 * hide it) and return its tree. With
 * `home` (the default) wait until My files is listed (`notes.txt` shows).
 */
export async function openEos(page: Page, options: { home?: boolean } = {}): Promise<Locator> {
  const tree = page.getByRole('tree', { name: 'EOS' });
  // A new workspace shows the panel by itself just after it is restored; a
  // click that crosses that would hide it again, so look and click until shown.
  await expect(async () => {
    if (!(await tree.isVisible())) {
      await page.locator('.jp-SideBar [data-id="eos-browser"]').click();
    }
    await expect(tree).toBeVisible({ timeout: 1000 });
  }).toPass();
  if (options.home ?? true) {
    await expect(item(tree, 'notes.txt')).toBeVisible();
  }
  return tree;
}

/** The row of the tree named exactly `name`. */
export function item(tree: Locator, name: string): Locator {
  return tree.getByRole('treeitem', { name, exact: true });
}

/** Open the tree again after another client wrote to My files. */
export async function refreshMine(page: Page, tree: Locator): Promise<void> {
  await item(tree, 'My files').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Refresh' }).click();
}

/** Right-click the item named `name` and pick `entry` from the context menu. */
export async function pick(page: Page, tree: Locator, name: string, entry: string | RegExp): Promise<void> {
  await item(tree, name).click({ button: 'right' });
  await page.getByRole('menuitem', { name: entry }).click();
}

/** The text on the clipboard. */
export async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** The centre of an element on the page. */
export async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Press on `from`, move past the drag threshold and onto `to` in steps; the button stays down. */
export async function dragOnto(page: Page, from: Locator, to: Locator): Promise<void> {
  await to.scrollIntoViewIfNeeded();
  const a = await center(from);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 8, a.y + 8, { steps: 4 });
  const b = await center(to);
  await page.mouse.move(b.x, b.y, { steps: 12 });
  // Rows may have moved meanwhile (a listing landing above the target): aim again.
  const again = await center(to);
  await page.mouse.move(again.x + 1, again.y, { steps: 2 });
}

/** Drag `from` onto `to` and drop it there. */
export async function drop(page: Page, from: Locator, to: Locator): Promise<void> {
  await dragOnto(page, from, to);
  await page.mouse.up();
}

/** The EOS panel's state as the workspace saves it (`jupyterlab-eos:browser`). */
export interface ISavedBrowserState {
  expanded?: string[];
  selection?: string[];
  scroll?: number;
}

/**
 * The next workspace save (a PUT to `api/workspaces`) whose EOS panel state
 * passes `accept`. Call it before the actions that change the state: the
 * panel saves its state after changes settle and JupyterLab then saves the
 * workspace, debounced.
 */
export function savedBrowserState(page: Page, accept: (state: ISavedBrowserState) => boolean): Promise<unknown> {
  return page.waitForRequest(request => {
    if (request.method() !== 'PUT' || !request.url().includes('/api/workspaces')) {
      return false;
    }
    const state = JSON.parse(request.postData() ?? '{}').data?.['jupyterlab-eos:browser'];
    return typeof state === 'object' && state !== null && accept(state as ISavedBrowserState);
  });
}
