/**
 * Opening EOS files in JupyterLab (the EOS drive) and Peek, against the
 * seeded demo S3 server; what was saved is read back from S3 with the AWS SDK.
 */
import { gunzipSync } from 'zlib';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { getObject, putObject, s3, s3Info } from './demo-s3';
import { openEos } from './eos';

test.use({ autoGoto: true });

/** Select a tree item (clicked again if rows moved under the pointer while the tree loaded), then open it with Enter. */
async function openWithEnter(page: Page, name: string) {
  const item = page.getByRole('tree', { name: 'EOS' }).getByRole('treeitem', { name, exact: true });
  await expect
    .poll(async () => {
      await item.click();
      return item.getAttribute('aria-selected');
    })
    .toBe('true');
  await item.press('Enter');
}

test.describe('Opening EOS files', () => {
  const notebookKey = () => `users/${s3Info().userId}/files/project-2/analysis.ipynb`;
  let seededNotebook: Buffer | null = null;
  const notesKey = () => `users/${s3Info().userId}/files/notes.txt`;
  let seededNotes: Buffer | null = null;

  test.beforeAll(async () => {
    seededNotebook = await getObject(s3Info().orgBucket, notebookKey());
    seededNotes = await getObject(s3Info().orgBucket, notesKey());
  });

  test.afterAll(async () => {
    // Leave the demo data as seeded for the other specs.
    await putObject(s3Info().orgBucket, notebookKey(), seededNotebook!);
    await putObject(s3Info().orgBucket, notesKey(), seededNotes!);
  });

  test('double-clicking a notebook opens it; an edited cell is saved back to S3', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'project-2', exact: true }).dblclick();
    await tree.getByRole('treeitem', { name: 'analysis.ipynb', exact: true }).dblclick();
    const panel = page.locator('.jp-NotebookPanel');
    await expect(page.getByRole('tab', { name: /analysis\.ipynb/ })).toBeVisible();
    // No kernel is needed to edit; it would run in the Jupyter root, and the toolbar says so.
    await page.locator('.jp-Dialog').getByRole('button', { name: 'No Kernel' }).click();
    await expect(panel.locator('.jp-EosDocNote')).toBeVisible();
    await expect(panel.locator('.jp-EosDocNote')).toHaveText(/kernel in the Jupyter root/);
    await expect(panel.locator('.jp-EosDocNote')).toHaveAttribute(
      'title',
      /e:\/\/users\/me\/project-2\/analysis\.ipynb/
    );

    const editor = panel.locator('.jp-Cell .cm-content').first();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nprint("saved from JupyterLab to EOS")');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+s');

    await expect
      .poll(async () => {
        const nb = JSON.parse((await getObject(s3Info().orgBucket, notebookKey())).toString('utf-8'));
        const source = nb.cells[0].source;
        return Array.isArray(source) ? source.join('') : source;
      })
      .toContain('print("saved from JupyterLab to EOS")');
    const saved = JSON.parse((await getObject(s3Info().orgBucket, notebookKey())).toString('utf-8'));
    expect(saved.nbformat).toBe(4);
    expect(saved.cells).toHaveLength(1);
  });

  test('a TSV opens in the CSV/TSV viewer', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'cohort-2026', exact: true }).dblclick();
    await tree.getByRole('treeitem', { name: 'samples.tsv', exact: true }).dblclick();
    const viewer = page.locator('.jp-CSVViewer');
    await expect(viewer).toBeVisible();
    await expect(page.getByRole('tab', { name: /samples\.tsv/ })).toBeVisible();
    // The viewer's delimiter follows the file type: tab.
    await expect(page.locator('.jp-CSVDelimiter select')).toHaveValue('\t');
    await expect(page.locator('.jp-EosDocNote')).toHaveAttribute('title', /e:\/\/org\/cohort-2026\/samples\.tsv/);

    // "Open With" lists the other viewers: the text editor shows the same file as text.
    await tree.getByRole('treeitem', { name: 'samples.tsv', exact: true }).click({ button: 'right' });
    // (Lumino gives submenu items no role.)
    await page.locator('.lm-Menu-item[aria-haspopup="true"]', { hasText: 'Open With' }).hover();
    await page.getByRole('menuitem', { name: 'Editor', exact: true }).click();
    await expect(page.locator('.jp-FileEditor .cm-content')).toContainText('sample\tsex\tpopulation');
  });

  test('a file changed in S3 since it was opened is not overwritten silently', async ({ page }) => {
    await openEos(page, { home: false });
    await openWithEnter(page, 'notes.txt');
    const editor = page.locator('.jp-FileEditor .cm-content');
    await expect(editor).toContainText('Things to remember.');
    // Another client writes the object meanwhile.
    await putObject(s3Info().orgBucket, notesKey(), Buffer.from('Written by someone else.\n'));
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('mine\n');
    await page.keyboard.press('ControlOrMeta+s');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('has changed on disk');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await getObject(s3Info().orgBucket, notesKey())).toString()).toBe('Written by someone else.\n');
  });

  test('saving in a read-only namespace is refused with a message', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'reference', exact: true }).dblclick();
    await tree.getByRole('treeitem', { name: 'GRCh38', exact: true }).dblclick();
    await openWithEnter(page, 'README');
    const editor = page.locator('.jp-FileEditor .cm-content');
    await expect(editor).toContainText('GRCh38 reference');
    await expect(page.locator('.jp-EosDocNote')).toBeVisible();
    await expect(page.locator('.jp-EosDocNote')).toHaveText(/read-only/);
    await editor.click();
    await page.keyboard.type('changed ');
    await page.keyboard.press('ControlOrMeta+s');
    await expect(page.locator('.jp-toast-message')).toContainText(/is read-only/);
    expect((await getObject('gencove-explorer-data', 'files/reference/GRCh38/README')).toString()).toBe(
      'GRCh38 reference (demo excerpt)\n'
    );
  });
});

test.describe('Peek', () => {
  test('shows the first reads of a .fastq.gz without downloading it', async ({ page }) => {
    const key = `users/${s3Info().userId}/files/project-1/sample1_R1.fastq.gz`;
    const object = await getObject(s3Info().orgBucket, key);
    const lines = gunzipSync(object).toString('utf-8').split('\n');

    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).dblclick();
    await tree.getByRole('treeitem', { name: 'sample1_R1.fastq.gz', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Peek' }).click();

    const peek = page.locator('.jp-EosPeek');
    await expect(page.getByRole('tab', { name: /Peek: sample1_R1\.fastq\.gz/ })).toBeVisible();
    // Each read as its four lines: header, sequence, +, qualities.
    const reads = peek.getByRole('listitem');
    await expect(reads).toHaveCount(20);
    for (const r of [0, 1, 19]) {
      await expect(reads.nth(r).locator('pre')).toHaveText(lines.slice(4 * r, 4 * r + 4).join('\n'));
    }
    // It says how much it read: a fraction of the object.
    const summary = await peek.getByRole('status').innerText();
    expect(summary).toMatch(/First 20 reads of sample1_R1\.fastq\.gz: read [\d.]+ kB of [\d.]+ MB \(gzip/);

    await peek.getByRole('button', { name: 'Show 40' }).click();
    await expect(reads).toHaveCount(40);
    await expect(reads.nth(39).locator('pre')).toHaveText(lines.slice(4 * 39, 4 * 40).join('\n'));
  });
});

test.describe('Files too large to open, and new files', () => {
  // 1 kB: the seeded sample sheet (1,021 bytes) is too large. (Compressed files open in Peek whatever their size.)
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-eos:open': { openLimitMB: 0.001 } } });

  test('a file above the limit is not opened; Download or Peek are offered instead', async ({ page }) => {
    const tree = await openEos(page, { home: false });
    await tree.getByRole('treeitem', { name: 'cohort-2026', exact: true }).dblclick();
    await tree.getByRole('treeitem', { name: 'samples.tsv', exact: true }).dblclick();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('File too large to open');
    await expect(dialog).toContainText(/samples\.tsv is [\d.]+ kB, above the 1(\.0)? kB limit/);
    await expect(dialog.getByRole('button', { name: 'Download to Current Folder' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Peek' }).click();
    await expect(page.getByRole('tab', { name: /Peek: samples\.tsv/ })).toBeVisible();
    await expect(page.locator('.jp-EosPeek tbody tr')).toHaveCount(20);
  });

  test('New Notebook in an EOS folder creates it there and opens it', async ({ page }) => {
    const key = 'shared/files/cohort-2026/Untitled.ipynb';
    try {
      const tree = await openEos(page, { home: false });
      await tree.getByRole('treeitem', { name: 'cohort-2026', exact: true }).dblclick();
      await expect(tree.getByRole('treeitem', { name: 'samples.tsv', exact: true })).toBeVisible();
      await tree.getByRole('treeitem', { name: 'cohort-2026', exact: true }).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'New Notebook' }).click();
      await page.locator('.jp-Dialog').getByRole('button', { name: 'No Kernel' }).click();
      await expect(page.getByRole('tab', { name: /Untitled\.ipynb/ })).toBeVisible();
      await expect(tree.getByRole('treeitem', { name: 'Untitled.ipynb', exact: true })).toBeVisible();
      const stored = JSON.parse((await getObject(s3Info().orgBucket, key)).toString('utf-8'));
      expect(stored.nbformat).toBe(4);
    } finally {
      const client = s3();
      await client.send(new DeleteObjectCommand({ Bucket: s3Info().orgBucket, Key: key }));
      client.destroy();
    }
  });
});
