/**
 * The EOS context menu's actions against the seeded demo S3 server
 * (devtools/demo.py --galata): one test per menu entry.
 */
import { expect, test } from '@jupyterlab/galata';
import { keysUnder, myKey, putMine, readMine, s3Info } from './demo-s3';
import { openEos, refreshMine, pick, clipboardText } from './eos';

test.use({ autoGoto: true, permissions: ['clipboard-read', 'clipboard-write'] });

test.describe('EOS context menu', () => {
  test('Copy EOS URI', async ({ page }) => {
    const tree = await openEos(page);
    await pick(page, tree, 'notes.txt', 'Copy EOS URI');
    await expect.poll(() => clipboardText(page)).toBe('e://users/me/notes.txt');
  });

  test('Copy Shareable URI', async ({ page }) => {
    const tree = await openEos(page);
    await pick(page, tree, 'notes.txt', 'Copy Shareable URI');
    await expect.poll(() => clipboardText(page)).toBe(`e://users/${s3Info().userId}/notes.txt`);
  });

  test('Copy S3 URI', async ({ page }) => {
    const tree = await openEos(page);
    await pick(page, tree, 'notes.txt', 'Copy S3 URI');
    await expect.poll(() => clipboardText(page)).toBe(`s3://${s3Info().orgBucket}/${myKey('notes.txt')}`);
  });

  test('Copy Python Snippet', async ({ page }) => {
    const tree = await openEos(page);
    await pick(page, tree, 'project-1', 'Copy Python Snippet');
    await expect.poll(() => clipboardText(page)).toBe(`File(path_e="e://users/${s3Info().userId}/project-1/")`);
  });

  test('Copy EOS URI on several selected items copies one per line, in tree order', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click();
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).click({ modifiers: ['ControlOrMeta'] });
    // right-clicking an item of the selection keeps the selection
    await pick(page, tree, 'notes.txt', 'Copy EOS URI');
    await expect.poll(() => clipboardText(page)).toBe('e://users/me/project-1/\ne://users/me/notes.txt');
    await expect(tree.locator('[role="treeitem"][aria-selected="true"]')).toHaveCount(2);
  });

  test('Copy Presigned URL gives a link that reads the object', async ({ page }) => {
    const tree = await openEos(page);
    await pick(page, tree, 'notes.txt', 'Copy Presigned URL');
    await expect.poll(() => clipboardText(page)).toMatch(/^https?:\/\//);
    await expect(page.locator('.jp-Notification-Toast-success')).toContainText('Anyone with it can read the object');
    const response = await page.request.get(await clipboardText(page));
    expect(response.ok()).toBe(true);
    expect(Buffer.from(await response.body()).equals(await readMine('notes.txt'))).toBe(true);
  });

  test("Copy Presigned URL is not in a folder's menu", async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Copy EOS URI' })).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Copy Presigned URL' })).toHaveCount(0);
  });

  test('New Folder creates the folder and selects it', async ({ page }) => {
    const tree = await openEos(page);
    const name = `new-folder-${Date.now()}`;
    await pick(page, tree, 'My files', 'New Folder');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('a/b');
    await expect(dialog.getByRole('alert')).toHaveText('A name cannot contain "/".');
    await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
    await dialog.getByRole('textbox').fill(name);
    await dialog.getByRole('button', { name: 'Create' }).click();
    const created = tree.getByRole('treeitem', { name, exact: true });
    await expect(created).toBeVisible();
    await expect(created).toHaveAttribute('aria-selected', 'true');
    expect(await keysUnder(`${name}/`)).toEqual([`${name}/`]);
  });

  test('Rename or Move renames a folder and everything in it', async ({ page }) => {
    const before = `rename-me-${Date.now()}`;
    const after = `${before}-renamed`;
    await putMine({ [`${before}/a.txt`]: 'a', [`${before}/sub/b.txt`]: 'b' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await pick(page, tree, before, /Rename or Move/);
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('textbox')).toHaveValue(before);
    await dialog.getByRole('textbox').fill(after);
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect(tree.getByRole('treeitem', { name: after, exact: true })).toBeVisible();
    await expect(tree.getByRole('treeitem', { name: before, exact: true })).toHaveCount(0);
    await expect.poll(() => keysUnder(`${before}/`)).toEqual([]);
    expect((await keysUnder(`${after}/`)).sort()).toEqual([`${after}/a.txt`, `${after}/sub/b.txt`]);
  });

  test('Delete counts, confirms and deletes', async ({ page }) => {
    const name = `delete-me-${Date.now()}`;
    await putMine({ [`${name}/a.txt`]: 'aaaa', [`${name}/b.txt`]: 'bb', [`${name}/sub/c.txt`]: 'c' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await pick(page, tree, name, 'Delete');
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(`Delete "${name}"?`);
    await expect(dialog).toContainText('This deletes 3 objects, 7 B (7 bytes), from EOS.');
    await expect(dialog).toContainText('1 folder and everything in it will be deleted.');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(tree.getByRole('treeitem', { name, exact: true })).toHaveCount(0);
    await expect.poll(() => keysUnder(`${name}/`)).toEqual([]);
  });

  test('Delete is disabled on a writable namespace root and absent from read-only items', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'My files', exact: true }).click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Delete' })).toHaveAttribute('aria-disabled', 'true');
    await page.keyboard.press('Escape');
    for (const name of ['Gencove', 'reference']) {
      await tree.getByRole('treeitem', { name, exact: true }).click({ button: 'right' });
      await expect(page.getByRole('menuitem', { name: 'Properties' })).toBeVisible();
      await expect(page.getByRole('menuitem', { name: 'Delete' })).toHaveCount(0);
      await page.keyboard.press('Escape');
    }
  });

  test('Properties shows the details and every URI form', async ({ page }) => {
    const tree = await openEos(page);
    await pick(page, tree, 'notes.txt', 'Properties');
    const dialog = page.getByRole('dialog');
    const size = (await readMine('notes.txt')).length;
    await expect(dialog).toContainText(`${size} bytes`);
    await expect(dialog).toContainText(`s3://${s3Info().orgBucket}/${myKey('notes.txt')}`);
    await expect(dialog).toContainText(`File(path_e="e://users/${s3Info().userId}/notes.txt")`);
    await dialog.getByRole('button', { name: 'Copy Shareable URI' }).click();
    await expect.poll(() => clipboardText(page)).toBe(`e://users/${s3Info().userId}/notes.txt`);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  test('Refresh lists the folder again', async ({ page }) => {
    const tree = await openEos(page);
    const name = `refreshed-${Date.now()}.txt`;
    await putMine({ [name]: 'hello' });
    await expect(tree.getByRole('treeitem', { name, exact: true })).toHaveCount(0);
    await pick(page, tree, 'My files', 'Refresh');
    await expect(tree.getByRole('treeitem', { name, exact: true })).toBeVisible();
  });
});

test.describe('EOS context menu refusals', () => {
  test('Rename or Move onto an existing name says it already exists and changes nothing', async ({ page }) => {
    const name = `keep-me-${Date.now()}.txt`;
    await putMine({ [name]: 'keep' });
    const tree = await openEos(page);
    await refreshMine(page, tree);
    await pick(page, tree, name, /Rename or Move/);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('notes.txt');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect(page.locator('.jp-Notification-Toast-error')).toContainText(`Cannot move ${name}: Already exists`);
    await expect(tree.getByRole('treeitem', { name, exact: true })).toBeVisible();
    expect((await readMine(name)).toString()).toBe('keep');
    expect((await readMine('notes.txt')).toString()).not.toBe('keep');
  });
});
