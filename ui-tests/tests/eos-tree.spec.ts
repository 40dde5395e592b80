/**
 * The EOS tree against the seeded demo: multi-selection, path bar, filter,
 * keyboard, sort, and the state restored after a reload.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { s3Info } from './demo-s3';
import { setEosPanelWidth } from './sidebar';
import { openEos, savedBrowserState } from './eos';

test.use({ autoGoto: true });

const selectedNames = (tree: Locator) =>
  tree
    .locator('[role="treeitem"][aria-selected="true"]')
    .evaluateAll(els => els.map(el => el.getAttribute('aria-label')));

test.describe('EOS tree', () => {
  test('selects several items with Ctrl-click and Shift-click', async ({ page }) => {
    const tree = await openEos(page);
    await expect(tree).toHaveAttribute('aria-multiselectable', 'true');
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click();
    await tree.getByRole('treeitem', { name: 'big-folder', exact: true }).click({ modifiers: ['Shift'] });
    // Other tests may have added items to My files: check the ends and the seeded ones between.
    const seeded = ['big-folder', 'odd names', 'project-1', 'project-2', 'tmp', 'notes.txt'];
    await expect.poll(async () => (await selectedNames(tree)).filter(name => seeded.includes(name!))).toEqual(seeded);
    const range = await selectedNames(tree);
    expect([range[0], range[range.length - 1]]).toEqual(['big-folder', 'notes.txt']);
    // Shift-click does not expand the folder it lands on.
    await expect(tree.getByRole('treeitem', { name: 'big-folder', exact: true })).toHaveAttribute(
      'aria-expanded',
      'false'
    );
    await tree.getByRole('treeitem', { name: 'odd names', exact: true }).click({ modifiers: ['ControlOrMeta'] });
    await expect(tree.getByRole('treeitem', { name: 'odd names', exact: true })).toHaveAttribute(
      'aria-selected',
      'false'
    );
    await expect.poll(async () => (await selectedNames(tree)).length).toBe(range.length - 1);
    await tree.getByRole('treeitem', { name: 'cohort-2026', exact: true }).click({ modifiers: ['ControlOrMeta'] });
    await expect(tree.getByRole('treeitem', { name: 'cohort-2026', exact: true })).toHaveAttribute(
      'aria-selected',
      'true'
    );
    await expect.poll(async () => (await selectedNames(tree)).length).toBe(range.length);
  });

  test('goes to e:// and s3:// locations typed in the path bar, and says what is wrong', async ({ page }) => {
    const tree = await openEos(page);
    const input = page.getByRole('textbox', { name: 'Go to EOS location' });
    const goTo = page.getByRole('button', { name: 'Go to location' });
    await goTo.click();
    await expect(input).toBeFocused();
    await input.fill('e://users/me/project-2/results/variants.vcf');
    await input.press('Enter');
    const vcf = tree.getByRole('treeitem', { name: 'variants.vcf', exact: true });
    await expect(vcf).toHaveAttribute('aria-selected', 'true');
    await expect(vcf).toBeFocused();
    // The breadcrumbs show its folder.
    await expect(page.getByRole('navigation', { name: 'Current folder' }).getByRole('button')).toHaveText([
      'My files',
      'project-2',
      'results'
    ]);

    await goTo.click();
    await input.fill(`s3://${s3Info().orgBucket}/shared/files/cohort-2026/S1.bam`);
    await input.press('Enter');
    await expect(tree.getByRole('treeitem', { name: 'S1.bam', exact: true })).toHaveAttribute('aria-selected', 'true');

    await goTo.click();
    await input.fill('e://nowhere/x');
    await input.press('Enter');
    await expect(page.getByRole('alert')).toContainText("Invalid namespace 'nowhere'");
    await input.fill('e://users/me/no-such-file.txt');
    await input.press('Enter');
    await expect(page.getByRole('alert')).toContainText('e://users/me/no-such-file.txt does not exist');
    await input.press('Escape');
    await expect(input).toHaveCount(0);
  });

  test('goes to an item deep in a folder of 5,000 keys by a prefix search, not by paging', async ({ page }) => {
    const tree = await openEos(page);
    await page.getByRole('button', { name: 'Go to location' }).click();
    const input = page.getByRole('textbox', { name: 'Go to EOS location' });
    await input.fill('e://users/me/big-folder/chunk-04321.fastq.gz');
    await input.press('Enter');
    const item = tree.getByRole('treeitem', { name: 'chunk-04321.fastq.gz', exact: true });
    await expect(item).toHaveAttribute('aria-selected', 'true');
    await expect(item).toBeInViewport();
  });

  test('filters the loaded names of a fully listed folder', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click();
    const filter = page.getByRole('searchbox', { name: 'Filter My files' });
    await filter.fill('proj');
    await expect(page.getByText('Filtering loaded names')).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'project-1', exact: true })).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'notes.txt', exact: true })).toHaveCount(0);
    await filter.press('Escape');
    await expect(tree.getByRole('treeitem', { name: 'notes.txt', exact: true })).toBeVisible();
  });

  test('searches a folder with more pages by prefix in S3', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'big-folder', exact: true }).click();
    const big = page.getByRole('searchbox', { name: 'Filter big-folder' });
    await big.fill('chunk-0432');
    await expect(page.getByText('Prefix search in S3')).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'chunk-04329.fastq.gz', exact: true })).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'chunk-00000.fastq.gz', exact: true })).toHaveCount(0);
    await big.press('Escape');
    await expect(tree.getByRole('treeitem', { name: 'chunk-00000.fastq.gz', exact: true })).toBeVisible();
  });

  test('moves with the keyboard: arrows, Home/End, type-ahead, Left/Right', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click();
    await page.keyboard.press('Home');
    await expect(tree.getByRole('treeitem', { name: 'My files', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(tree.getByRole('treeitem', { name: 'big-folder', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(tree.getByRole('treeitem', { name: 'My files', exact: true })).toBeFocused();
    await page.keyboard.press('End');
    await expect(tree.getByRole('treeitem', { name: 'Users', exact: true })).toBeFocused();
    await page.keyboard.type('org');
    const org = tree.getByRole('treeitem', { name: 'Organization', exact: true });
    await expect(org).toBeFocused();
    await expect(org).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(org).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowRight');
    await expect(org).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowRight');
    await expect(tree.getByRole('treeitem', { name: 'cohort-2026', exact: true })).toBeFocused();
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => selectedNames(tree)).toEqual(['cohort-2026', 'README.txt']);
  });

  test('sorts by a column header, both ways, folders first', async ({ page }) => {
    const tree = await openEos(page);
    await setEosPanelWidth(page, 400); // the Size column shows from 320 px
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).dblclick();
    await expect(tree.getByRole('treeitem', { name: 'README.md', exact: true })).toBeVisible();
    const order = () =>
      tree
        .locator('[aria-level="3"][data-uri^="e://users/me/project-1/"]')
        .evaluateAll(els => els.map(el => el.getAttribute('aria-label')));
    expect(await order()).toEqual(['README.md', 'sample1_R1.fastq.gz', 'sample1_R2.fastq.gz']);
    const size = page.getByRole('button', { name: 'Size' });
    await size.click();
    await expect(size).toHaveAttribute('aria-pressed', 'true');
    await expect(size).toHaveAttribute('data-sort', 'ascending');
    await expect.poll(order).toEqual(['README.md', expect.any(String), expect.any(String)]);
    await size.click();
    await expect(size).toHaveAttribute('data-sort', 'descending');
    await expect.poll(async () => (await order())[2]).toBe('README.md');
    const name = page.getByRole('button', { name: 'Name' });
    await name.click();
    await name.click();
    await expect.poll(order).toEqual(['sample1_R2.fastq.gz', 'sample1_R1.fastq.gz', 'README.md']);
    // Folders stay first: big-folder is still above notes.txt in My files.
    const home = await tree
      .locator('[aria-level="2"][data-uri^="e://users/me/"]')
      .evaluateAll(els => els.map(el => el.getAttribute('data-kind')));
    expect(home.indexOf('object')).toBeGreaterThan(home.lastIndexOf('folder'));
  });

  test('restores expanded folders and the selection after a reload', async ({ page }) => {
    const tree = await openEos(page);
    const saved = savedBrowserState(
      page,
      ({ expanded = [], selection = [] }) =>
        expanded.includes('e://users/me/project-1/') &&
        !expanded.includes('e://org/') &&
        selection.includes('e://users/me/project-1/README.md') &&
        selection.includes('e://users/me/notes.txt')
    );
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).dblclick();
    await tree.getByRole('treeitem', { name: 'README.md', exact: true }).click();
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click({ modifiers: ['ControlOrMeta'] });
    await tree.getByRole('treeitem', { name: 'Organization', exact: true }).click({ modifiers: ['ControlOrMeta'] });
    await tree.getByRole('treeitem', { name: 'Organization', exact: true }).press('ArrowLeft');
    await expect(tree.getByRole('treeitem', { name: 'Organization', exact: true })).toHaveAttribute(
      'aria-expanded',
      'false'
    );
    await saved;

    await page.reload();
    await page.waitForSelector('.jp-LabShell');
    const again = await openEos(page);
    await expect(again.getByRole('treeitem', { name: 'project-1', exact: true })).toHaveAttribute(
      'aria-expanded',
      'true'
    );
    await expect(again.getByRole('treeitem', { name: 'README.md', exact: true })).toHaveAttribute(
      'aria-selected',
      'true'
    );
    await expect(again.getByRole('treeitem', { name: 'notes.txt', exact: true })).toHaveAttribute(
      'aria-selected',
      'true'
    );
    await expect(again.getByRole('treeitem', { name: 'Organization', exact: true })).toHaveAttribute(
      'aria-expanded',
      'false'
    );
  });

  test('restores the scroll offset after a reload', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'big-folder', exact: true }).dblclick();
    await expect(tree.getByRole('treeitem', { name: 'chunk-00000.fastq.gz', exact: true })).toBeVisible();
    // JupyterLab saves the workspace (debounced) after the panel saves its state: wait for that save.
    const saved = savedBrowserState(page, ({ scroll }) => typeof scroll === 'number' && scroll > 2300);
    await tree.evaluate(el => el.scrollTo(0, 2400));
    await expect(tree.getByRole('treeitem', { name: 'chunk-00100.fastq.gz', exact: true })).toBeVisible();
    await saved;

    await page.reload();
    await page.waitForSelector('.jp-LabShell');
    const again = await openEos(page).catch(() => page.getByRole('tree', { name: 'EOS' }));
    await expect.poll(() => again.evaluate(el => el.scrollTop)).toBeGreaterThan(2300);
    await expect(again.getByRole('treeitem', { name: 'chunk-00100.fastq.gz', exact: true })).toBeVisible();
  });

  test('restores a scroll offset beyond the first page after a reload, fetching the pages above it', async ({
    page
  }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'big-folder', exact: true }).dblclick();
    const first = tree.getByRole('treeitem', { name: 'chunk-00000.fastq.gz', exact: true });
    await expect(first).toBeVisible();
    // chunk-01600 (the fourth page) at the top of the view: rows are 24 px tall.
    const offset =
      (await first.evaluate(row => {
        const el = row.closest('.jp-EosBrowser-tree') as HTMLElement;
        return Math.round(row.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop);
      })) +
      1600 * 24;
    // Scroll down as a user does: each "Load more" row fetches the next page (500 entries) as it shows.
    while ((await tree.evaluate(el => el.scrollHeight - el.clientHeight)) < offset) {
      const height = await tree.evaluate(el => el.scrollHeight);
      await tree.evaluate(el => el.scrollTo(0, el.scrollHeight));
      await page.waitForFunction(
        before => (document.querySelector('.jp-EosBrowser-tree')?.scrollHeight ?? 0) > before,
        height
      );
    }
    const target = tree.getByRole('treeitem', { name: 'chunk-01600.fastq.gz', exact: true });
    const saved = savedBrowserState(page, ({ scroll }) => typeof scroll === 'number' && Math.abs(scroll - offset) < 2);
    await tree.evaluate((el, top) => el.scrollTo(0, top), offset);
    await expect(target).toBeInViewport();
    await saved;

    await page.reload();
    await page.waitForSelector('.jp-LabShell');
    const again = await openEos(page).catch(() => page.getByRole('tree', { name: 'EOS' }));
    await expect.poll(() => again.evaluate(el => el.scrollTop), { timeout: 30_000 }).toBeGreaterThan(offset - 2);
    await expect(again.getByRole('treeitem', { name: 'chunk-01600.fastq.gz', exact: true })).toBeInViewport();
    await expect(again.getByRole('treeitem', { name: 'chunk-01600.fastq.gz', exact: true })).toHaveAttribute(
      'aria-posinset',
      '1601'
    );
  });
});
