/**
 * A day in the lab, the transfers' part: the Transfers panel survives Close
 * All Tabs and reloads and always comes back from the View menu; a job that
 * asks about an existing target is answered in its notification, with no panel
 * open; the notification names the phase and closes by itself when it ends well.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { keysUnder, putMine, readMineText } from './demo-s3';
import { removeScratch } from './scratch';
import { openEos, drop } from './eos';

test.use({ autoGoto: true });
test.afterEach(removeScratch);

const transfersTab = (page: Page) => page.locator('.jp-SideBar.jp-mod-right [data-id="eos-transfers"]');

test.describe('A day in the lab: transfers', () => {
  test('the Transfers panel lives in the right sidebar and comes back after Close All Tabs and a reload', async ({
    page
  }) => {
    await expect(transfersTab(page)).toBeAttached();
    await page.evaluate(() => window.jupyterapp.commands.execute('application:close-all'));
    // The workspace is saved once the layout has changed: the reload below restores what it saved.
    // Wait for the save that has the panel in front (a save of the closed tabs may come first).
    const saved = page.waitForRequest(request => {
      if (!/api\/workspaces/.test(request.url()) || request.method() !== 'PUT') {
        return false;
      }
      const right = JSON.parse(request.postData() ?? '{}').data?.['layout-restorer:data']?.right;
      return right?.current === 'eos-transfers' && right.collapsed === false;
    });
    await page.menu.clickMenuItem('View>EOS Transfers');
    await expect(page.locator('#eos-transfers')).toBeVisible();
    await expect(page.locator('#eos-transfers').getByRole('heading', { name: 'Transfers' })).toBeVisible();

    // The layout keeps it: after a reload it is still in front, and Close All leaves it there.
    await saved;
    await page.reload();
    await expect(page.locator('#eos-transfers')).toBeVisible();
    await page.evaluate(() => window.jupyterapp.commands.execute('application:close-all'));
    await expect(page.locator('#eos-transfers')).toBeVisible();
    await page.menu.clickMenuItem('View>EOS Browser');
    await expect(page.getByRole('tree', { name: 'EOS' })).toBeVisible();
    await expect(page.locator('#eos-transfers')).toBeHidden();
    await page.evaluate(() => window.jupyterapp.commands.execute('eos:show-transfers'));
    await expect(page.locator('#eos-transfers')).toBeVisible();
  });

  test('with every tab closed, a drag onto an existing target is answered in its notification', async ({
    page,
    tmpPath
  }) => {
    const base = `ask-${Date.now()}`;
    const name = `${base}.txt`;
    await putMine({ [`${base}/${name}`]: 'in EOS already' });
    await page.contents.uploadContent('from the server disk', 'text', `${tmpPath}/${name}`);
    await page.evaluate(() => window.jupyterapp.commands.execute('application:close-all'));
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'My files', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Refresh' }).click();
    const folder = tree.getByRole('treeitem', { name: base, exact: true });
    await expect(folder).toBeVisible();
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.refresh();
    await drop(page, page.locator('.jp-DirListing-item', { hasText: name }), folder);

    const notice = page.locator('.Toastify__toast', { hasText: 'Waiting for your answer' });
    await expect(notice).toContainText(`e://users/me/${base}/${name} already exists`, { timeout: 20000 });
    await expect(page.locator('#eos-transfers')).toBeHidden(); // answered here, not in the panel
    await notice.getByRole('button', { name: 'Keep Both' }).click();
    // One notification for the job: it ends as a success, which closes by itself.
    const success = page.locator('.Toastify__toast', { hasText: `Uploaded ${name}` });
    await expect(success).toBeVisible({ timeout: 30000 });
    await expect(page.locator('.Toastify__toast', { hasText: 'finished' })).toHaveCount(0);
    await expect(success).toBeHidden({ timeout: 15000 });

    await expect
      .poll(() => keysUnder(`${base}/`), { timeout: 30000 })
      .toEqual([`${base}/${base} (1).txt`, `${base}/${name}`]);
    expect(await readMineText(`${base}/${base} (1).txt`)).toBe('from the server disk');
    expect(await readMineText(`${base}/${name}`)).toBe('in EOS already');
  });
});
