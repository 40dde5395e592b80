/**
 * The kernel of a notebook opened from EOS starts in the local folder the
 * `kernelFolder` setting names: `os.getcwd()` in it prints that folder.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { deleteObjects, myKey, putMine, s3Info } from './demo-s3';
import { item, openEos, refreshMine } from './eos';

// Real settings: the server reads the kernel folder from the user's settings when the kernel starts.
test.use({ autoGoto: true, mockSettings: false });

const FOLDER = `kernel-${Date.now()}`;

const NOTEBOOK = JSON.stringify({
  cells: [
    { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: 'import os; print(os.getcwd())' }
  ],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
  nbformat: 4,
  nbformat_minor: 5
});

/** Set the open plugin's kernel folder through the settings registry, as the Settings Editor does (the server reads it). */
async function setKernelFolder(page: Page, folder: string): Promise<void> {
  await page.evaluate(async value => {
    const registry = await window.galata.getPlugin('@jupyterlab/apputils-extension:settings');
    await registry!.set('jupyterlab-eos:open', 'kernelFolder', value);
  }, folder);
}

test.afterEach(async ({ page }) => {
  await setKernelFolder(page, '');
  await deleteObjects(s3Info().orgBucket, [myKey(`${FOLDER}/cwd.ipynb`)]);
});

test('a notebook opened from EOS runs its kernel in the kernel folder of the settings', async ({ page, tmpPath }) => {
  const kernelFolder = `${tmpPath}/kernels`;
  expect(await page.contents.createDirectory(kernelFolder)).toBeTruthy();
  await setKernelFolder(page, kernelFolder);
  await putMine({ [`${FOLDER}/cwd.ipynb`]: NOTEBOOK });

  const tree = await openEos(page);
  await refreshMine(page, tree);
  await item(tree, FOLDER).dblclick();
  await item(tree, 'cwd.ipynb').dblclick();
  const panel = page.locator('.jp-NotebookPanel');
  await expect(panel.locator('.jp-EosDocNote')).toHaveText(new RegExp(`kernel in ${kernelFolder}$`));
  await expect(page.locator('#jp-main-statusbar').getByText(/Python 3 \(ipykernel\) \| Idle/)).toBeVisible();

  await panel.locator('.jp-Cell').first().click();
  await page.keyboard.press('Shift+Enter');
  await expect(panel.locator('.jp-OutputArea-output').first()).toHaveText(new RegExp(`/${kernelFolder}\\s*$`));
});
