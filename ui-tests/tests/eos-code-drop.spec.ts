/**
 * EOS items dragged from the panel into code: a notebook cell gets
 * `File(path_e="...")` at the drop point (a list for several items), a
 * Markdown cell the URI, a terminal the quoted URI at its prompt.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { s3Info } from './demo-s3';
import { drop, item, openEos } from './eos';

test.use({ autoGoto: true });

/** The text of the notebook's cell `index` as its editor holds it. */
function cellText(page: Page, index: number) {
  return page.locator('.jp-NotebookPanel .jp-Cell').nth(index).locator('.cm-content');
}

test.describe('EOS items dropped into code', () => {
  test('a notebook cell gets File(path_e=...) where the drop lands, a list for several items', async ({ page }) => {
    await page.notebook.createNew('drop.ipynb');
    await page.notebook.setCell(0, 'code', 'reads = ');
    await page.notebook.addCell('markdown', 'See ');
    const tree = await openEos(page);
    const user = s3Info().userId;

    await drop(page, item(tree, 'notes.txt'), cellText(page, 0));
    await expect(cellText(page, 0)).toHaveText(`reads = File(path_e="e://users/${user}/notes.txt")`);

    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click();
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).click({ modifiers: ['ControlOrMeta'] });
    await page.notebook.addCell('code', '');
    await drop(page, item(tree, 'project-1'), cellText(page, 2));
    await expect
      .poll(() => page.notebook.getCellTextInput(2))
      .toBe(`[\n    File(path_e="e://users/${user}/project-1/"),\n    File(path_e="e://users/${user}/notes.txt"),\n]`);

    // A Markdown cell is not Python: the URI itself.
    await page.notebook.enterCellEditingMode(1);
    await drop(page, item(tree, 'notes.txt'), cellText(page, 1));
    await expect.poll(() => page.notebook.getCellTextInput(1)).toContain(`e://users/${user}/notes.txt`);
    await expect.poll(() => page.notebook.getCellTextInput(1)).not.toContain('File(');
  });

  test('a terminal gets the quoted e:// URI at its prompt', async ({ page }) => {
    const out = path.join(os.tmpdir(), `eos-code-drop-${process.pid}-${Date.now()}.txt`);
    await page.menu.clickMenuItem('File>New>Terminal');
    const screen = page.locator('.jp-Terminal .xterm-screen');
    await expect(screen).toBeVisible();
    await screen.click();
    await page.keyboard.type('printf "%s|" ');
    const tree = await openEos(page);
    await drop(page, item(tree, 'project-1'), screen);
    // The terminal has the focus back: finish the command line the drop wrote into and run it.
    await page.keyboard.type(` > ${out}`);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null))
      .toBe('e://users/me/project-1/|');
    fs.rmSync(out, { force: true });
  });
});
