/**
 * "A day in JupyterLab", the sidebar tree (findings 9–15): clicks as in the
 * file browser, a layout that stays put, context menus that offer only what
 * applies, the palette, the name dialogs, and the columns at each width.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { setEosPanelWidth } from './sidebar';
import { openEos, item } from './eos';

test.use({ autoGoto: true });

/** The labels of the open context menu's enabled entries. */
async function enabledEntries(page: Page): Promise<string[]> {
  const menu = page.locator('.lm-Menu').last();
  await expect(menu).toBeVisible();
  return menu
    .locator('.lm-Menu-item[data-type="command"]:not(.lm-mod-disabled):not(.lm-mod-hidden) .lm-Menu-itemLabel')
    .allInnerTexts();
}

const WRITES = [
  'New Folder',
  'New File',
  'New Notebook',
  'Upload Files…',
  'Upload Folder…',
  'Rename or Move…',
  'Delete'
];

test.describe('EOS tree, a day in JupyterLab', () => {
  test('a single click selects a folder without toggling it; a double click or the caret toggles it', async ({
    page
  }) => {
    const tree = await openEos(page);
    const home = item(tree, 'My files');
    await home.click();
    await expect(home).toHaveAttribute('aria-selected', 'true');
    await expect(home).toHaveAttribute('aria-expanded', 'true');
    const project = item(tree, 'project-1');
    await project.click();
    await expect(project).toHaveAttribute('aria-selected', 'true');
    await expect(project).toHaveAttribute('aria-expanded', 'false');
    await project.dblclick();
    await expect(project).toHaveAttribute('aria-expanded', 'true');
    await expect(item(tree, 'README.md')).toBeVisible();
    await project.dblclick();
    await expect(project).toHaveAttribute('aria-expanded', 'false');
    await project.locator('.jp-EosBrowser-caret').click();
    await expect(project).toHaveAttribute('aria-expanded', 'true');
    await project.press('Enter');
    await expect(project).toHaveAttribute('aria-expanded', 'false');
  });

  test('the tree does not move when an item is selected, deep or not', async ({ page }) => {
    const tree = await openEos(page);
    await setEosPanelWidth(page, 250);
    const top = async () => (await tree.boundingBox())!.y;
    const before = await top();
    await item(tree, 'notes.txt').click();
    expect(await top()).toBe(before);
    await item(tree, 'project-2').dblclick();
    await item(tree, 'results').dblclick();
    await item(tree, 'variants.vcf').click();
    await expect(page.getByRole('navigation', { name: 'Current folder' }).getByRole('button')).toHaveCount(3);
    expect(await top()).toBe(before);
    await item(tree, 'My files').click();
    expect(await top()).toBe(before);
  });

  test("a read-only file's context menu offers no write; a file's offers no folder action", async ({ page }) => {
    const tree = await openEos(page);
    await item(tree, 'reference').dblclick();
    await item(tree, 'GRCh38').dblclick();
    await item(tree, 'README').click({ button: 'right' });
    const readOnly = await enabledEntries(page);
    expect(readOnly).toEqual(expect.arrayContaining(['Copy EOS URI', 'Properties']));
    expect(readOnly.filter(label => WRITES.includes(label))).toEqual([]);
    await page.keyboard.press('Escape');

    await item(tree, 'notes.txt').click({ button: 'right' });
    const file = await enabledEntries(page);
    expect(file).toEqual(expect.arrayContaining(['Rename or Move…', 'Delete']));
    expect(file.filter(label => ['New Folder', 'New File', 'New Notebook', 'Upload Files…'].includes(label))).toEqual(
      []
    );
    await page.keyboard.press('Escape');

    // The blank background acts on the current folder: here a read-only one.
    await item(tree, 'README').click();
    await tree.locator('.jp-EosBrowser-blank').click({ button: 'right' });
    expect(await enabledEntries(page)).toEqual(['Refresh']);
    await page.keyboard.press('Escape');
    // ...and in a writable one, the folder's creation and upload actions.
    await item(tree, 'notes.txt').click();
    await tree.locator('.jp-EosBrowser-blank').click({ button: 'right' });
    expect(await enabledEntries(page)).toEqual(
      expect.arrayContaining(['New Folder', 'New File', 'New Notebook', 'Upload Files…', 'Refresh'])
    );
  });

  test('searching "EOS" in the palette lists the EOS commands first, labelled "EOS: …"', async ({ page }) => {
    const tree = await openEos(page);
    // With an item selected (commands acting on nothing are disabled, and the palette puts those last).
    await item(tree, 'notes.txt').click();
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('apputils:activate-command-palette');
    });
    await page.keyboard.type('EOS');
    const labels = page.locator('.lm-CommandPalette-item:not(.lm-mod-hidden) .lm-CommandPalette-itemLabel');
    await expect(labels.first()).toBeVisible();
    // Every EOS command comes before the first other one, and each says "EOS: ".
    const all = await labels.allInnerTexts();
    const firstOther = all.findIndex(label => !label.startsWith('EOS: '));
    const eos = firstOther < 0 ? all : all.slice(0, firstOther);
    expect(eos.length).toBeGreaterThanOrEqual(10);
    expect(eos).toEqual(expect.arrayContaining(['EOS: Delete', 'EOS: Properties', 'EOS: Peek']));
    await page.keyboard.press('Escape');
  });

  test('New Folder and Rename say nothing is wrong before the user types', async ({ page }) => {
    const tree = await openEos(page);
    await item(tree, 'My files').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'New Folder' }).click();
    const dialog = page.getByRole('dialog');
    const problem = dialog.locator('.jp-EosDialog-problem');
    await expect(dialog.getByRole('textbox')).toBeFocused();
    await expect(problem).toHaveText('');
    await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
    await dialog.getByRole('textbox').fill('a/b');
    await expect(problem).toHaveText('A name cannot contain "/".');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await item(tree, 'notes.txt').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Rename or Move…' }).click();
    await expect(dialog.getByRole('textbox')).toHaveValue('notes.txt');
    await expect(problem).toHaveText('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('columns: names only at 250 px, the size from 400 px, the date too at 600 px', async ({ page }) => {
    const tree = await openEos(page);
    await page.sidebar.close('left'); // room for a 600 px panel
    const header = page.getByRole('toolbar', { name: 'Sort' });
    const size = header.getByRole('button', { name: 'Size' });
    const modified = header.getByRole('button', { name: 'Modified' });
    const notes = item(tree, 'notes.txt');
    for (const [width, columns] of [
      [250, []],
      [400, ['size']],
      [600, ['size', 'modified']]
    ] as const) {
      await setEosPanelWidth(page, width);
      await expect(size).toBeVisible({ visible: columns.includes('size' as never) });
      await expect(modified).toBeVisible({ visible: columns.includes('modified' as never) });
      await expect(notes.locator('.jp-EosBrowser-size')).toBeVisible({ visible: columns.includes('size' as never) });
      // The name keeps most of the row.
      const row = (await notes.boundingBox())!.width;
      const name = (await notes.locator('.jp-EosBrowser-name').boundingBox())!.width;
      expect(name / row).toBeGreaterThan(0.55);
      if (columns.length > 0) {
        // A title sits over its column.
        const title = (await size.boundingBox())!;
        const cell = (await notes.locator('.jp-EosBrowser-size').boundingBox())!;
        expect(Math.abs(title.x + title.width - (cell.x + cell.width))).toBeLessThan(2);
      }
    }
  });

  test('a filter scrolls its first match into view', async ({ page }) => {
    const tree = await openEos(page);
    const big = item(tree, 'big-folder');
    await big.dblclick();
    await expect(item(tree, 'chunk-00000.fastq.gz')).toBeVisible();
    // Far down the folder: the matches would be above the screen.
    await tree.evaluate(el => el.scrollTo(0, 4000));
    await expect(big).not.toBeInViewport();
    await page.getByRole('searchbox', { name: 'Filter big-folder' }).fill('chunk-04');
    await expect(page.getByText('Prefix search in S3')).toBeVisible();
    await expect(item(tree, 'chunk-04000.fastq.gz')).toBeInViewport();
  });

  test('a folder gone to opens near the top of the tree, not at its bottom edge', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 460 }); // a tree a few rows tall
    const tree = await openEos(page);
    await page.getByRole('button', { name: 'Go to location' }).click();
    const input = page.getByRole('textbox', { name: 'Go to EOS location' });
    await input.fill('e://org/cohort-2026/');
    await input.press('Enter');
    const cohort = item(tree, 'cohort-2026');
    await expect(cohort).toHaveAttribute('aria-selected', 'true');
    await expect(cohort).toHaveAttribute('aria-expanded', 'true');
    await expect(item(tree, 'samples.tsv')).toBeInViewport();
    // Two rows above it stay in sight.
    await expect.poll(async () => Math.round((await cohort.boundingBox())!.y - (await tree.boundingBox())!.y)).toBe(48);
  });
});
