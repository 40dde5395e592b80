/**
 * What the specs do in JupyterLab's file browser.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/** Right-click `name` in the file browser, pick "Upload to EOS…" and upload it into the `e://` `folder`. */
export async function uploadToEosFromMenu(page: IJupyterLabPageFixture, name: string, folder: string): Promise<void> {
  await page.sidebar.openTab('filebrowser');
  await page.filebrowser.refresh();
  await page.locator('.jp-DirListing-item', { hasText: name }).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Upload to EOS…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox').fill(folder);
  await dialog.getByRole('button', { name: 'Upload' }).click();
}
