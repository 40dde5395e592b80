/**
 * The EOS tree on a folder of 100,000 objects: e://users/me/huge-folder/,
 * which the demo seeds when EOS_DEMO_BIG_FOLDER is set (the Galata config sets
 * it to 100,000 when EOS_UI_HUGE is set):
 *
 *   EOS_UI_HUGE=1 npx playwright test eos-huge-folder
 *
 * `make test-ui` runs it in a second Playwright run with its own server: the
 * 100,000 keys would slow every other listing of the bucket (moto scans them).
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { openEos } from './eos';

/** Rows the DOM may hold at once once the tree is virtualised: a screenful and its overscan, far from 100,000. */
const MAX_DOM_ROWS = 200;

/** What the demo seeded (devtools/demo.py writes it once serving). */
function demoInfo(): { bigFolder?: number; bigFolderLast?: string | null } {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../.demo/s3.json'), 'utf-8'));
}

/** Scroll the tree's scroll container (the tree or the first scrollable ancestor) to the bottom. */
async function scrollTreeToBottom(tree: Locator): Promise<void> {
  await tree.evaluate(node => {
    let el: HTMLElement | null = node as HTMLElement;
    while (el && !(el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY))) {
      el = el.parentElement;
    }
    const scroller = el ?? (node as HTMLElement);
    scroller.scrollTop = scroller.scrollHeight;
  });
}

/**
 * Wait until the tree grows past `height` (the page its "Load more" row asked
 * for arrived) or holds the row of `lastName` (the end): a page from moto
 * takes about 0.3 s, and the loop must not spin meanwhile.
 */
async function nextPageOrEnd(page: Page, height: number, lastName: string): Promise<void> {
  await page.waitForFunction(
    ({ before, name }) => {
      const tree = document.querySelector('.jp-EosBrowser-tree');
      return !!tree && (tree.scrollHeight > before || !!tree.querySelector(`[data-uri$="/${name}"]`));
    },
    { before: height, name: lastName },
    { timeout: 60_000 }
  );
}

/** How many tree items the DOM holds now. */
async function domRows(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('.jp-EosBrowser-tree [role="treeitem"]').length);
}

test.describe('EOS panel on a folder of 100,000 objects', () => {
  test.skip(
    !process.env.EOS_UI_HUGE,
    'run by `make test-ui` with EOS_UI_HUGE=1 against a demo that seeds 100,000 keys'
  );
  test.use({ autoGoto: true });

  test('scrolls to the last object with a bounded number of rows in the DOM', async ({ page }) => {
    test.setTimeout(15 * 60 * 1000);
    const info = demoInfo();
    expect(
      info.bigFolder,
      'the running demo has no huge folder: stop it, or start it with EOS_DEMO_BIG_FOLDER=100000'
    ).toBeGreaterThan(0);
    const lastName = info.bigFolderLast!;

    await openEos(page, { home: false });
    const tree = page.getByRole('tree', { name: 'EOS' });
    await tree.getByRole('treeitem', { name: 'huge-folder', exact: true }).dblclick();
    await expect(tree.getByRole('treeitem', { name: 'item-000000.txt', exact: true })).toBeVisible();

    // CSS locators in the loop: cheap on every turn.
    const lastRow = tree.locator(`[role="treeitem"][data-uri="e://users/me/huge-folder/${lastName}"]`);
    let mostRows = await domRows(page);
    const deadline = Date.now() + 12 * 60 * 1000;
    // Scroll to the bottom until the last object shows: the tree fetches the
    // next page by itself when its "Load more" row scrolls into view.
    while (!(await lastRow.isVisible())) {
      expect(Date.now(), `"${lastName}" did not show within 12 minutes`).toBeLessThan(deadline);
      const height = await tree.evaluate(node => node.scrollHeight);
      await scrollTreeToBottom(tree);
      mostRows = Math.max(mostRows, await domRows(page));
      await nextPageOrEnd(page, height, lastName);
    }
    await lastRow.scrollIntoViewIfNeeded();
    await expect(tree.getByRole('treeitem', { name: lastName, exact: true })).toBeInViewport();
    mostRows = Math.max(mostRows, await domRows(page));

    // Virtual rows: the DOM holds a screenful and its overscan, never the 100,000 loaded.
    expect(mostRows, 'tree items in the DOM at once').toBeLessThan(MAX_DOM_ROWS);
    // Every object was loaded once, in order: the last is the 100,000th of 100,000.
    await expect(lastRow).toHaveAttribute('aria-posinset', String(info.bigFolder));
    await expect(lastRow).toHaveAttribute('aria-setsize', String(info.bigFolder));
  });
});
