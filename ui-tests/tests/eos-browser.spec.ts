/**
 * The EOS panel against the seeded demo S3 server (devtools/demo.py --galata).
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

test.use({ autoGoto: true, permissions: ['clipboard-read', 'clipboard-write'] });

async function openEos(page: Page) {
  await page.locator('.jp-SideBar [data-id="eos-browser"]').click();
  const tree = page.getByRole('tree', { name: 'EOS' });
  await expect(tree).toBeVisible();
  return tree;
}

async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

test.describe('EOS panel', () => {
  test('shows the namespace roots and one level of seeded content under each', async ({ page }) => {
    const tree = await openEos(page);
    for (const name of ['My files', 'Organization', 'Gencove', 'Users']) {
      await expect(tree.getByRole('treeitem', { name, exact: true })).toBeVisible();
    }
    // one level under each of the three roots, straight from S3
    await expect(tree.getByRole('treeitem', { name: 'project-1', exact: true })).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'notes.txt', exact: true })).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'cohort-2026', exact: true })).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'reference', exact: true })).toBeVisible();
    // keys outside files/ never show
    await expect(tree.getByRole('treeitem', { name: 'hidden.txt' })).toHaveCount(0);
    await expect(tree.getByRole('treeitem', { name: 'not-files.txt' })).toHaveCount(0);
    // read-only roots say so
    await expect(tree.getByRole('treeitem', { name: 'Gencove', exact: true })).toHaveAttribute(
      'data-access',
      'read'
    );
  });

  test('expands folders lazily, including odd key names', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'odd names', exact: true }).click();
    for (const name of ['hash#tag.txt', 'question?mark.txt', 'percent%20literal.txt', 'emoji-\u{1F9EC}.txt', 'with space.txt']) {
      await expect(tree.getByRole('treeitem', { name, exact: true })).toBeVisible();
    }
    await expect(tree.getByRole('treeitem', { name: 'double', exact: true })).toBeVisible();
    // leading spaces are part of the key and stay visible
    const spaced = tree.locator('.jp-EosBrowser-item[data-uri="e://users/me/odd names/  leading spaces.txt"]');
    const width = (text: string) =>
      spaced.locator('.jp-EosBrowser-name').evaluate((el, t) => {
        const probe = el.cloneNode() as HTMLElement;
        probe.textContent = t;
        el.parentElement!.appendChild(probe);
        const w = probe.getBoundingClientRect().width;
        probe.remove();
        return w;
      }, text);
    const shown = await spaced.locator('.jp-EosBrowser-name').evaluate(el => el.getBoundingClientRect().width);
    expect(shown).toBeGreaterThan(await width('leading spaces.txt'));
  });

  test('pages a folder of 5,000 objects', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'big-folder', exact: true }).click();
    await expect(tree.getByRole('treeitem', { name: 'chunk-00000.fastq.gz', exact: true })).toBeVisible();
    const more = page.getByRole('button', { name: /load more/i });
    await expect(more).toBeVisible();
    const before = await tree.getByRole('treeitem').count();
    await more.click();
    await expect.poll(() => tree.getByRole('treeitem').count()).toBeGreaterThan(before);
  });

  test('"Copy EOS URI" from the context menu puts the URI on the clipboard', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy EOS URI' }).click();
    await expect.poll(() => clipboardText(page)).toBe('e://users/me/notes.txt');

    await tree.getByRole('treeitem', { name: 'Organization', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy EOS URI' }).click();
    await expect.poll(() => clipboardText(page)).toBe('e://org/');
  });

  test('"Copy EOS URI" from the command palette copies the selected item', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'cohort-2026', exact: true }).click();
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('apputils:activate-command-palette');
    });
    await page.keyboard.type('Copy EOS URI');
    await page.keyboard.press('Enter');
    await expect.poll(() => clipboardText(page)).toBe('e://org/cohort-2026/');
  });
});

