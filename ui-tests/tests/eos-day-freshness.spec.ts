/**
 * "A day in JupyterLab", findings 3 and 17: what the service writes shows
 * without a Refresh. An upload from the computer into an expanded folder
 * appears as a row; so does an `eos cp` typed in a JupyterLab terminal; and a
 * download to the server's disk moves the disk gauge at once, not at the
 * next poll (set to an hour here).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IJupyterLabPageFixture, expect, galata, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { putMine, readMineText } from './demo-s3';
import { removeScratch } from './scratch';
import { openEos } from './eos';

test.use({
  autoGoto: false,
  // The gauge's periodic poll would take an hour: only the service's events can move it.
  mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-eos:plugin': { diskPollSeconds: 3600 } }
});
test.afterEach(removeScratch);

/** Seed `e://users/me/<folder>/` (before the page loads, so the tree lists it), open the panel, expand the folder. */
async function expandedFolder(page: IJupyterLabPageFixture, folder: string): Promise<Locator> {
  await putMine({ [`${folder}/seed.txt`]: 'seed' });
  await page.goto();
  await openEos(page, { home: false });
  const tree = page.getByRole('tree', { name: 'EOS' });
  const row = tree.getByRole('treeitem', { name: folder, exact: true });
  await row.click();
  await page.keyboard.press('ArrowRight');
  await expect(row).toHaveAttribute('aria-expanded', 'true');
  await expect(tree.getByRole('treeitem', { name: 'seed.txt', exact: true })).toBeVisible();
  return tree;
}

test.describe('what the service writes shows without a Refresh', () => {
  test('Upload Files… from the computer into an expanded folder adds its row', async ({ page }) => {
    const folder = `upload-${Date.now()}`;
    const tree = await expandedFolder(page, folder);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-ui-'));
    fs.writeFileSync(path.join(dir, 'from-laptop.txt'), 'from my laptop');
    const chooser = page.waitForEvent('filechooser');
    await page
      .locator('.jp-EosBrowser-header')
      .getByRole('button', { name: /^Upload files from your computer to / })
      .click();
    await (await chooser).setFiles(path.join(dir, 'from-laptop.txt'));
    await expect(tree.getByRole('treeitem', { name: 'from-laptop.txt', exact: true })).toBeVisible({ timeout: 30000 });
    expect(await readMineText(`${folder}/from-laptop.txt`)).toBe('from my laptop');
  });

  test('eos cp in a JupyterLab terminal adds the row to the expanded folder', async ({ page }) => {
    const folder = `upload-${Date.now()}-cli`;
    const tree = await expandedFolder(page, folder);
    const name = `${folder}.txt`;
    await page.contents.uploadContent('typed in a terminal', 'text', name);
    try {
      // Typed once the shell has said something (its prompt): the terminal is connected.
      const socket = page.waitForEvent('websocket', ws => ws.url().includes('/terminals/websocket/'));
      await page.evaluate(async () => {
        await window.jupyterapp.commands.execute('terminal:create-new');
      });
      await (await socket).waitForEvent('framereceived');
      const terminal = page.locator('.jp-Terminal');
      await terminal.locator('.xterm-screen').click();
      await page.keyboard.type(`eos cp ${name} e://users/me/${folder}/\n`);
      await expect(tree.getByRole('treeitem', { name, exact: true })).toBeVisible({ timeout: 60000 });
      expect(await readMineText(`${folder}/${name}`)).toBe('typed in a terminal');
    } finally {
      await page.contents.deleteFile(name);
    }
  });

  test('a download to the server disk moves the disk gauge without waiting for its poll', async ({ page, tmpPath }) => {
    const folder = `upload-${Date.now()}-down`;
    await putMine({ [`${folder}/big.bin`]: Buffer.alloc(3_000_000, 7) });
    const tree = await expandedFolder(page, folder);
    const gauge = page.locator('.jp-EosDisk-statusButton');
    await expect(gauge).toHaveText(/^Disk: \d/, { timeout: 30000 });
    const before = await gauge.textContent();
    // The file browser shows the test's folder: Download to Current Folder writes there.
    await page.filebrowser.openDirectory(tmpPath);
    await tree.getByRole('treeitem', { name: 'big.bin', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Download to Current Folder' }).click();
    await expect.poll(() => fs.existsSync(path.join(demoRoot(), tmpPath, 'big.bin')), { timeout: 30000 }).toBe(true);
    await expect(gauge).not.toHaveText(before!, { timeout: 10000 });
    await expect(gauge).toHaveText(/^Disk: \d+(\.\d)? MB/);
  });
});

/** The demo's Jupyter root. */
function demoRoot(): string {
  return path.resolve(__dirname, '../../.demo/galata-root');
}
