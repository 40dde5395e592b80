/**
 * "A day in JupyterLab", the views: Free Up Space lists files at their byte
 * size and never counts a folder and its files twice, with disabled buttons
 * that look and act disabled; Peek shows FASTQ reads with their qualities and
 * keeps "Show N" until the new reads arrive, with its controls whole in a
 * narrow area; the EOS panel says it is connecting on a reload until
 * `whoami` answers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { getObject, myKey, s3Info } from './demo-s3';
import { openEos } from './eos';

test.use({ autoGoto: true });

const ROOT = path.resolve(__dirname, '../../.demo/galata-root');

/** The exact bytes a cell or label gives in its "N bytes" tooltip. */
async function bytesOf(target: Locator): Promise<number> {
  return Number(((await target.getAttribute('title')) ?? '').replace(/\D/g, ''));
}

/** Hold the requests whose URL matches `url` until the returned function is called. */
async function holdRequests(page: Page, url: RegExp): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>(resolve => (release = resolve));
  await page.route(url, async route => {
    await held;
    await route.continue();
  });
  return release;
}

test.describe('Free Up Space', () => {
  test('sizes are byte sizes, a folder is counted once, disabled buttons are disabled', async ({ page }) => {
    const readme = fs.statSync(path.join(ROOT, 'README.md')).size;
    await page.evaluate(() => window.jupyterapp.commands.execute('eos:free-up-space'));
    await expect(page.getByRole('tab', { name: 'Free Up Space' })).toBeVisible();
    const view = page.locator('.jp-EosFree');
    const table = view.getByRole('table', { name: 'Largest items' });
    const row = (p: string) => table.getByRole('row').filter({ has: page.getByTitle(p, { exact: true }) });

    // An 84-byte-ish README is its byte size, not the 4 kB block it takes on disk.
    await expect(row('README.md').getByRole('cell', { name: `${readme} B`, exact: true })).toBeVisible();

    // Nothing selected: the toolbar's buttons are disabled, and look it.
    const toolbar = view.getByRole('toolbar', { name: 'Selected items' });
    const move = toolbar.getByRole('button', { name: 'Move to EOS' });
    const remove = toolbar.getByRole('button', { name: 'Delete' });
    await expect(move).toBeDisabled();
    await expect(remove).toBeDisabled();
    await expect(move).toHaveCSS('cursor', 'not-allowed');
    const disabledLook = await move.evaluate(b => getComputedStyle(b).backgroundColor);
    await expect(toolbar).toContainText('Nothing selected');

    // The top level holds project-1 and README.md side by side, never project-1's files.
    await expect(row('project-1/counts.tsv')).toHaveCount(0);
    await view.getByRole('button', { name: 'Show what is in project-1' }).click();
    await expect(row('project-1/counts.tsv')).toBeVisible();
    const folderBytes = await bytesOf(row('project-1').getByRole('cell').nth(2));
    expect(folderBytes).toBeGreaterThanOrEqual(fs.statSync(path.join(ROOT, 'project-1/counts.tsv')).size);

    // Ticking the folder takes its files along: shown ticked, not counted again.
    await view.getByRole('checkbox', { name: 'Select project-1', exact: true }).check();
    const child = view.getByRole('checkbox', { name: 'Select project-1/counts.tsv' });
    await expect(child).toBeChecked();
    await expect(child).toBeDisabled();
    const summary = toolbar.locator('.jp-EosFree-selection');
    await expect(summary).toContainText('1 item selected');
    expect(await bytesOf(summary)).toBe(folderBytes);
    await view.getByRole('checkbox', { name: 'Select README.md' }).check();
    await expect(summary).toContainText('2 items selected');
    expect(await bytesOf(summary)).toBe(folderBytes + readme);
    await expect(move).toBeEnabled();
    // Enabled, it takes JupyterLab's accept colour again: the two looks differ.
    await expect(move).not.toHaveCSS('background-color', disabledLook);
    await expect(move).not.toHaveCSS('cursor', 'not-allowed');
  });
});

test.describe('Peek', () => {
  test('shows each FASTQ read with its qualities; "Show 40" is whole when narrow and changes with the data', async ({
    page
  }) => {
    const object = await getObject(s3Info().orgBucket, myKey('project-1/sample1_R1.fastq.gz'));
    const lines = gunzipSync(object).toString('utf-8').split('\n');
    await page.setViewportSize({ width: 820, height: 700 });
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).dblclick();
    await tree.getByRole('treeitem', { name: 'sample1_R1.fastq.gz', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Peek' }).click();

    const peek = page.locator('.jp-EosPeek');
    const reads = peek.getByRole('listitem');
    await expect(reads).toHaveCount(20);
    // Header, sequence, + and the qualities line, as the file holds them.
    await expect(reads.first().locator('pre')).toHaveText(lines.slice(0, 4).join('\n'));
    await expect(reads.first()).toContainText(lines[3]);

    // The main area is narrow (the EOS panel beside it): the button is whole, inside the view.
    const more = peek.getByRole('button', { name: 'Show 40' });
    await expect(more).toBeVisible();
    expect(await more.evaluate(b => b.scrollWidth <= b.clientWidth)).toBe(true);
    const [button, area] = [await more.boundingBox(), await peek.boundingBox()];
    expect(button!.x + button!.width).toBeLessThanOrEqual(area!.x + area!.width);

    // The label stays until the 40 reads arrive; meanwhile it is disabled and says it is reading.
    const release = await holdRequests(page, /\/eos\/api\/head/);
    await more.click();
    await expect(peek.getByRole('status')).toContainText('Reading');
    await expect(more).toBeDisabled();
    await expect(more).toHaveText('Show 40');
    await expect(reads).toHaveCount(20);
    release();
    await expect(reads).toHaveCount(40);
    await expect(peek.getByRole('button', { name: 'Show 80' })).toBeEnabled();
    await page.unroute(/\/eos\/api\/head/);
  });
});

test.describe('EOS panel on a reload', () => {
  test("a new workspace shows the panel by itself, once: after that the user's layout decides", async ({ page }) => {
    const tree = page.getByRole('tree', { name: 'EOS' });
    await expect(tree.getByRole('treeitem', { name: 'My files', exact: true })).toBeVisible();
    // The user closes it; the reload restores that, with no second welcome.
    const saved = page.waitForRequest(r => {
      const right = r.method() === 'PUT' && r.postDataJSON()?.data?.['layout-restorer:data']?.right;
      return right?.collapsed === true;
    });
    await page.locator('.jp-SideBar [data-id="eos-browser"]').click();
    await expect(tree).toBeHidden();
    await saved;
    await page.reload();
    await expect(page.locator('.jp-SideBar [data-id="eos-browser"]')).toBeVisible();
    await page.waitForFunction(() => (window as any).jupyterapp.restored.then(() => true));
    await expect(tree).toBeHidden();
  });

  test('says it is connecting until whoami answers', async ({ page }) => {
    // Open the panel and let JupyterLab save the layout, so the reload restores the panel open.
    const saved = page.waitForRequest(r => {
      const right = r.method() === 'PUT' && r.postDataJSON()?.data?.['layout-restorer:data']?.right;
      return right?.current === 'eos-browser' && right?.collapsed === false;
    });
    await openEos(page, { home: false });
    await saved;
    const release = await holdRequests(page, /\/eos\/api\/whoami/);
    await page.reload();
    const panel = page.locator('#eos-browser');
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('status')).toHaveText('Connecting to EOS…');
    await expect(panel.getByRole('treeitem')).toHaveCount(0);
    release();
    await expect(panel.getByRole('treeitem', { name: 'My files', exact: true })).toBeVisible();
    await expect(panel.getByRole('status')).toHaveCount(0);
    await page.unroute(/\/eos\/api\/whoami/);
  });
});

test.describe('Views through a reload', () => {
  test('Free Up Space and Peek are part of the layout: a reload brings them back', async ({ page }) => {
    const uri = 'e://users/me/project-1/sample1_R1.fastq.gz';
    // The workspace holds both once JupyterLab has saved the layout.
    const saved = page.waitForRequest(r => {
      const data = r.method() === 'PUT' ? r.postDataJSON()?.data : undefined;
      return data?.[`eos-peek:${uri}`] !== undefined && data?.['eos-free-space:free-space'] !== undefined;
    });
    await page.evaluate(() => window.jupyterapp.commands.execute('eos:free-up-space'));
    await page.evaluate(u => window.jupyterapp.commands.execute('eos:peek', { uri: u }), uri);
    await expect(page.getByRole('tab', { name: /Peek: sample1_R1\.fastq\.gz/ })).toBeVisible();
    await saved;

    // F5 (Galata's own reload waits for a Launcher, which JupyterLab does not restore beside other tabs).
    await page.evaluate(() => location.reload());
    await expect(page.getByRole('tab', { name: /Peek: sample1_R1\.fastq\.gz/ })).toBeVisible({ timeout: 30000 });
    await expect(page.getByRole('tab', { name: 'Free Up Space' })).toBeVisible();
    await expect(page.locator('.jp-EosPeek').getByRole('listitem')).toHaveCount(20);
    await page.getByRole('tab', { name: 'Free Up Space' }).click();
    await expect(page.locator('#eos-free-space')).toBeVisible();
  });
});
