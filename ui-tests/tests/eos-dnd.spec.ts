/**
 * Moving data by drag and drop and by the transfer menus, against the seeded
 * demo S3 server (devtools/demo.py --galata): the four drag paths (file
 * browser -> EOS, EOS -> file browser, computer -> EOS, EOS -> EOS), refusals,
 * sidebar tabs opening under a drag, and the menu commands. The bytes that
 * arrive are read back from S3 or through JupyterLab's contents API.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { uploadToEosFromMenu } from './filebrowser';
import { removeScratch } from './scratch';
import { keysUnder, putMine, readMineText } from './demo-s3';
import { openEos, item, refreshMine, dragOnto } from './eos';

/** A local file's text through JupyterLab's contents API, or null. */
async function readLocal(page: Page, file: string): Promise<string | null> {
  return page.evaluate(async p => {
    const app = (window as any).jupyterapp;
    try {
      const model = await app.serviceManager.contents.get(p, { content: true, format: 'text' });
      return model.content as string;
    } catch {
      return null;
    }
  }, file);
}

test.use({ autoGoto: true });
test.afterEach(removeScratch);

const label = (page: Page) => page.locator('.jp-EosBrowser .jp-EosBrowser-dropLabel');

test.describe('EOS drag and drop', () => {
  test('the EOS panel opens in the right sidebar, beside the file browser', async ({ page }) => {
    await openEos(page);
    await expect(
      page.locator('#jp-right-stack .jp-EosBrowser, .jp-SideBar.jp-mod-right [data-id="eos-browser"]').first()
    ).toBeAttached();
    await page.sidebar.openTab('filebrowser');
    await expect(page.locator('.jp-FileBrowser').first()).toBeVisible();
    await expect(page.getByRole('tree', { name: 'EOS' })).toBeVisible();
  });

  test('EOS items dragged onto another EOS folder move there, server-side', async ({ page }) => {
    const base = `dnd-move-${Date.now()}`;
    await putMine({ [`${base}/a.txt`]: 'alpha', [`${base}/target/keep.txt`]: 'k' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).dblclick();
    await expect(item(tree, 'a.txt')).toBeVisible();
    await dragOnto(page, item(tree, 'a.txt'), item(tree, 'target'));
    await expect(label(page)).toHaveText(`Move to e://users/me/${base}/target/`);
    await expect(item(tree, 'target')).toHaveClass(/jp-mod-dropTarget/);
    await page.mouse.up();
    await expect(label(page)).toBeHidden();
    await expect.poll(() => keysUnder(`${base}/`)).toEqual([`${base}/target/a.txt`, `${base}/target/keep.txt`]);
    expect(await readMineText(`${base}/target/a.txt`)).toBe('alpha');
  });

  test('with Ctrl held, EOS items are copied rather than moved', async ({ page }) => {
    const base = `dnd-copy-${Date.now()}`;
    await putMine({ [`${base}/a.txt`]: 'alpha', [`${base}/target/keep.txt`]: 'k' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).dblclick();
    await page.keyboard.down('Control');
    await dragOnto(page, item(tree, 'a.txt'), item(tree, 'target'));
    await expect(label(page)).toHaveText(`Copy to e://users/me/${base}/target/`);
    await page.mouse.up();
    await page.keyboard.up('Control');
    await expect
      .poll(() => keysUnder(`${base}/`))
      .toEqual([`${base}/a.txt`, `${base}/target/a.txt`, `${base}/target/keep.txt`]);
    expect(await readMineText(`${base}/target/a.txt`)).toBe('alpha');
  });

  test('a drop on a read-only folder is refused with a message and nothing moves', async ({ page }) => {
    const base = `dnd-ro-${Date.now()}`;
    await putMine({ [`${base}/a.txt`]: 'alpha' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).dblclick();
    await dragOnto(page, item(tree, 'a.txt'), item(tree, 'Gencove'));
    await expect(label(page)).toHaveText('e://gencove/ is read-only.');
    await expect(label(page)).toHaveClass(/jp-mod-refused/);
    await expect(tree.locator('.jp-mod-dropTarget')).toHaveCount(0);
    await page.mouse.up();
    await expect(label(page)).toBeHidden();
    expect(await keysUnder(`${base}/`)).toEqual([`${base}/a.txt`]);
  });

  test('a folder cannot be dropped into its own subfolder', async ({ page }) => {
    const base = `dnd-self-${Date.now()}`;
    await putMine({ [`${base}/sub/inner/x.txt`]: 'x' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).dblclick();
    await item(tree, 'sub').dblclick();
    await expect(item(tree, 'inner')).toBeVisible();
    await dragOnto(page, item(tree, 'sub'), item(tree, 'inner'));
    await expect(label(page)).toHaveText('A folder cannot be moved into its own subfolder.');
    await page.mouse.up();
    expect(await keysUnder(`${base}/`)).toEqual([`${base}/sub/inner/x.txt`]);
  });

  test('a sidebar tab opens when a drag rests on it', async ({ page }) => {
    const tree = await openEos(page);
    await page.sidebar.openTab('jp-running-sessions');
    await expect(page.locator('.jp-FileBrowser').first()).toBeHidden();
    await dragOnto(page, item(tree, 'notes.txt'), page.locator('.jp-SideBar [data-id="filebrowser"]'));
    await expect(page.locator('.jp-FileBrowser').first()).toBeVisible({ timeout: 3000 });
    await page.mouse.up();
    await expect(item(tree, 'notes.txt')).toBeVisible();
  });

  test('file browser items dropped on an EOS folder are uploaded', async ({ page, tmpPath }) => {
    const base = `dnd-up-${Date.now()}`;
    await page.contents.uploadContent('local bytes', 'text', `${tmpPath}/${base}.txt`);
    await putMine({ [`${base}/keep.txt`]: 'k' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.refresh();
    const row = page.locator('.jp-DirListing-item', { hasText: `${base}.txt` });
    await dragOnto(page, row, item(tree, base));
    await expect(label(page)).toHaveText(`Upload to e://users/me/${base}/`);
    await page.mouse.up();
    await expect.poll(() => readMineText(`${base}/${base}.txt`), { timeout: 20000 }).toBe('local bytes');
  });

  test('EOS items dropped on a folder of the file browser are downloaded there', async ({ page, tmpPath }) => {
    const base = `dnd-down-${Date.now()}`;
    await putMine({ [`${base}/b.txt`]: 'from eos' });
    await page.contents.createDirectory(`${tmpPath}/${base}-local`);
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).dblclick();
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.refresh();
    const folderRow = page.locator('.jp-DirListing-item[data-file-type="directory"]', { hasText: `${base}-local` });
    await dragOnto(page, item(tree, 'b.txt'), folderRow);
    await expect(page.locator('.jp-EosBrowser-fileBrowserLabel')).toHaveText(`Download to /${tmpPath}/${base}-local`);
    await expect(folderRow).toHaveClass(/jp-mod-dropTarget/);
    await page.mouse.up();
    await expect.poll(() => readLocal(page, `${tmpPath}/${base}-local/b.txt`), { timeout: 20000 }).toBe('from eos');
  });

  test('a folder dropped from the computer is uploaded with its structure', async ({ page }) => {
    const base = `dnd-desktop-${Date.now()}`;
    await putMine({ [`${base}/keep.txt`]: 'k' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    const target = item(tree, base);
    // A DataTransfer built in the page: a file, and a folder `dir` holding n.txt and sub/m.txt.
    // A page cannot put a real folder in a DataTransfer, so the folder item answers
    // `webkitGetAsEntry` with directory entries as the browser's would.
    const dataTransfer = await page.evaluateHandle(() => {
      const fileEntry = (file: File) => ({
        isFile: true,
        isDirectory: false,
        name: file.name,
        file: (ok: any) => ok(file)
      });
      const dirEntry = (name: string, children: any[]) => ({
        isFile: false,
        isDirectory: true,
        name,
        createReader: () => {
          let given = false;
          return { readEntries: (ok: any) => ok(given ? [] : ((given = true), children)) };
        }
      });
      const folder = dirEntry('dir', [
        fileEntry(new File(['nested bytes'], 'n.txt')),
        dirEntry('sub', [fileEntry(new File(['deep bytes'], 'm.txt'))])
      ]);
      const marker = new File([''], 'dir');
      const original = DataTransferItem.prototype.webkitGetAsEntry;
      DataTransferItem.prototype.webkitGetAsEntry = function (this: DataTransferItem) {
        const file = this.getAsFile();
        return file && file.name === 'dir' && file.size === 0 ? (folder as any) : original.call(this);
      };
      const dt = new DataTransfer();
      dt.items.add(new File(['top bytes'], 'top.txt', { type: 'text/plain' }));
      dt.items.add(marker);
      return dt;
    });
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await expect(label(page)).toHaveText(`Upload to e://users/me/${base}/`);
    await target.dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => readMineText(`${base}/top.txt`), { timeout: 20000 }).toBe('top bytes');
    await expect.poll(() => readMineText(`${base}/dir/n.txt`), { timeout: 20000 }).toBe('nested bytes');
    // The files go up side by side: the deepest may land last.
    await expect.poll(() => readMineText(`${base}/dir/sub/m.txt`), { timeout: 20000 }).toBe('deep bytes');
  });
});

test.describe('Transfer menus', () => {
  test('Upload to EOS asks for a writable EOS folder', async ({ page, tmpPath }) => {
    const name = `menu-up-${Date.now()}.txt`;
    await page.contents.uploadContent('menu bytes', 'text', `${tmpPath}/${name}`);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.refresh();
    await page.locator('.jp-DirListing-item', { hasText: name }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Upload to EOS…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('textbox')).toHaveValue('e://users/me/');
    await dialog.getByRole('textbox').fill('e://gencove/');
    await expect(dialog.getByRole('alert')).toHaveText('e://gencove/ is read-only.');
    await expect(dialog.getByRole('button', { name: 'Upload' })).toBeDisabled();
    await dialog.getByRole('textbox').fill('e://nowhere/');
    await expect(dialog.getByRole('alert')).toContainText("Invalid namespace 'nowhere'");
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
  });

  test('Upload to EOS uploads and remembers the folder', async ({ page, tmpPath }) => {
    const base = `menu-up-${Date.now()}`;
    await page.contents.uploadContent('menu bytes', 'text', `${tmpPath}/${base}.txt`);
    await uploadToEosFromMenu(page, `${base}.txt`, `e://users/me/${base}/`);
    await expect.poll(() => readMineText(`${base}/${base}.txt`), { timeout: 20000 }).toBe('menu bytes');
    await page.locator('.jp-DirListing-item', { hasText: `${base}.txt` }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Upload to EOS…' }).click();
    await expect(page.getByRole('dialog').getByRole('textbox')).toHaveValue(`e://users/me/${base}/`);
  });

  test('Download to Current Folder downloads into the folder the file browser shows', async ({ page, tmpPath }) => {
    const base = `menu-down-${Date.now()}`;
    await putMine({ [`${base}/c.txt`]: 'downloaded' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).dblclick();
    await item(tree, 'c.txt').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Download to Current Folder' }).click();
    await expect.poll(() => readLocal(page, `${tmpPath}/c.txt`), { timeout: 20000 }).toBe('downloaded');
  });

  test('Sync Folder to EOS previews, then copies without deleting by default', async ({ page, tmpPath }) => {
    const base = `menu-sync-${Date.now()}`;
    await page.contents.createDirectory(`${tmpPath}/${base}`);
    await page.contents.uploadContent('one', 'text', `${tmpPath}/${base}/one.txt`);
    await putMine({ [`${base}/extra.txt`]: 'extra' });
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.refresh();
    await page.locator('.jp-DirListing-item', { hasText: base }).first().click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Sync Folder to EOS…' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill(`e://users/me/${base}/`);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('1 item to copy');
    await expect(dialog).toContainText('extra.txt');
    await expect(dialog.getByRole('checkbox')).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Sync' }).click();
    await expect.poll(() => readMineText(`${base}/one.txt`), { timeout: 20000 }).toBe('one');
    expect(await readMineText(`${base}/extra.txt`)).toBe('extra');
  });

  test('Sync to Local Folder previews, then mirrors the EOS folder without deleting by default', async ({
    page,
    tmpPath
  }) => {
    const base = `menu-syncdown-${Date.now()}`;
    await putMine({ [`${base}/a.txt`]: 'A from eos', [`${base}/sub/b.txt`]: 'B from eos' });
    await page.contents.createDirectory(`${tmpPath}/${base}`);
    await page.contents.uploadContent('stale', 'text', `${tmpPath}/${base}/a.txt`);
    await page.contents.uploadContent('only here', 'text', `${tmpPath}/${base}/old.txt`);
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Sync to Local Folder…' }).click();
    let dialog = page.getByRole('dialog');
    // The default is a folder of the same name in the file browser's folder.
    await expect(dialog.getByRole('textbox')).toHaveValue(`${tmpPath}/${base}`);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('2 items to copy');
    await expect(dialog).toContainText('old.txt');
    await expect(dialog.getByRole('checkbox')).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Sync' }).click();
    await expect.poll(() => readLocal(page, `${tmpPath}/${base}/sub/b.txt`), { timeout: 20000 }).toBe('B from eos');
    await expect.poll(() => readLocal(page, `${tmpPath}/${base}/a.txt`), { timeout: 20000 }).toBe('A from eos');
    expect(await readLocal(page, `${tmpPath}/${base}/old.txt`)).toBe('only here');
  });

  test('Sync to EOS Folder previews, copies within EOS, and deletes only when ticked', async ({ page }) => {
    const base = `menu-esync-${Date.now()}`;
    await putMine({ [`${base}/a/one.txt`]: 'one', [`${base}/a/sub/two.txt`]: 'two', [`${base}/b/old.txt`]: 'old' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await item(tree, base).dblclick();
    await item(tree, 'b').dblclick();
    await expect(item(tree, 'old.txt')).toBeVisible();
    await item(tree, 'a').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Sync to EOS Folder…' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill(`e://users/me/${base}/b/`);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('2 items to copy');
    await expect(dialog).toContainText('old.txt');
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Sync' }).click();
    await expect
      .poll(() => keysUnder(`${base}/b/`), { timeout: 20000 })
      .toEqual([`${base}/b/one.txt`, `${base}/b/sub/two.txt`]);
    expect(await readMineText(`${base}/b/sub/two.txt`)).toBe('two');
    // The open target folder follows the service's writes, with no refresh.
    await expect(item(tree, 'one.txt')).toBeVisible();
    await expect(item(tree, 'old.txt')).toHaveCount(0);
  });

  test('the transfer commands are in the palette under EOS', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await palette.locator('input').fill('EOS');
    for (const name of [
      'Upload to EOS…',
      'Sync Folder to EOS…',
      'Download to Current Folder',
      'Sync to Local Folder…',
      'Sync to EOS Folder…'
    ]) {
      await expect(palette.getByText(`EOS: ${name}`, { exact: true })).toBeAttached();
    }
  });
});
