/**
 * The EOS panel against the seeded demo S3 server (devtools/demo.py --galata).
 */
import { expect, test } from '@jupyterlab/galata';
import { putMine } from './demo-s3';
import { openEos, clipboardText } from './eos';

test.use({ autoGoto: true, permissions: ['clipboard-read', 'clipboard-write'] });

test.describe('EOS panel', () => {
  test('shows the namespace roots and one level of seeded content under each', async ({ page }) => {
    const tree = await openEos(page, { home: false });
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
    await expect(tree.getByRole('treeitem', { name: 'Gencove', exact: true })).toHaveAttribute('data-access', 'read');
  });

  test('expands folders lazily, including odd key names', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'odd names', exact: true }).dblclick();
    for (const name of [
      'hash#tag.txt',
      'question?mark.txt',
      'percent%20literal.txt',
      'emoji-\u{1F9EC}.txt',
      'with space.txt'
    ]) {
      await expect(tree.getByRole('treeitem', { name, exact: true })).toBeVisible();
    }
    await expect(tree.getByRole('treeitem', { name: 'double', exact: true })).toBeVisible();
    // leading and repeated spaces are part of the key: the rendered text keeps them
    const spaced = tree.locator('.jp-EosBrowser-item[data-uri="e://users/me/odd names/  leading spaces.txt"]');
    expect(await spaced.locator('.jp-EosBrowser-name').innerText()).toBe('  leading spaces.txt');
  });

  test('Users lists the other users, read-only, and My files stays in place', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'Users', exact: true }).dblclick();
    const other = tree.getByRole('treeitem', { name: '5f0c2e9a-7b41-4d83-a6c2-1e9f8d3b7a05', exact: true });
    await expect(other).toHaveAttribute('data-access', 'read');
    await expect(tree.locator('[role="treeitem"][data-uri="e://users/me/"]')).toHaveCount(1);
    await expect(tree.getByRole('treeitem', { name: 'My files', exact: true })).toHaveAttribute('aria-level', '1');
    await other.dblclick();
    await expect(tree.getByRole('treeitem', { name: 'report.html', exact: true })).toBeVisible();
  });

  test('pages a folder of 5,000 objects as it scrolls', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'big-folder', exact: true }).dblclick();
    await expect(tree.getByRole('treeitem', { name: 'chunk-00000.fastq.gz', exact: true })).toBeVisible();
    // Rows are virtual: only those on screen are in the page.
    expect(await tree.getByRole('treeitem').count()).toBeLessThan(200);
    // Scrolling to the end of what is loaded fetches the next page.
    await expect
      .poll(async () => {
        await tree.evaluate(el => el.scrollTo(0, el.scrollHeight));
        return tree.getByRole('treeitem', { name: /^chunk-0(0[5-9]\d\d|[1-4]\d{3})\.fastq\.gz$/ }).count();
      })
      .toBeGreaterThan(0);
  });

  test('"Copy EOS URI" from the context menu puts the URI on the clipboard', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy EOS URI' }).click();
    await expect.poll(() => clipboardText(page)).toBe('e://users/me/notes.txt');

    await tree.getByRole('treeitem', { name: 'Organization', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy EOS URI' }).click();
    await expect.poll(() => clipboardText(page)).toBe('e://org/');
  });

  test('"Copy EOS URI" from the command palette copies the selected item', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'cohort-2026', exact: true }).click();
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('apputils:activate-command-palette');
    });
    await page.keyboard.type('Copy EOS URI');
    await page.keyboard.press('Enter');
    await expect.poll(() => clipboardText(page)).toBe('e://org/cohort-2026/');
  });

  test('"Refresh EOS" shows what another client wrote meanwhile', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await expect(tree.getByRole('treeitem', { name: 'notes.txt', exact: true })).toBeVisible();
    const name = `written-elsewhere-${Date.now()}.txt`;
    await putMine({ [name]: 'hello' });
    await expect(tree.getByRole('treeitem', { name, exact: true })).toHaveCount(0);
    await page.getByRole('button', { name: 'Refresh EOS' }).click();
    await expect(tree.getByRole('treeitem', { name, exact: true })).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: 'My files', exact: true })).toHaveAttribute(
      'aria-expanded',
      'true'
    );
  });
});
