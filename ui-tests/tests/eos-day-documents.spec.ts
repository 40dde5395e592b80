/**
 * A day with documents opened from EOS: they come back after a reload and
 * from a bookmarked `/lab/tree/EOS:...` URL, opening and autosaving a shared
 * notebook writes nothing until it is edited, and a big `.fastq.gz` opens in
 * Peek. Objects are checked from S3 with the AWS SDK, as a colleague sees them.
 */
import { gzipSync } from 'zlib';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { deleteObjects, etagOf, getObject, putObject, s3Info } from './demo-s3';
import { openEos } from './eos';

const DOCMANAGER = '@jupyterlab/docmanager-extension:plugin';
test.use({
  autoGoto: true,
  // Autosave every 2 s (JupyterLab's default is 2 minutes).
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    [DOCMANAGER]: { ...(galata.DEFAULT_SETTINGS as Record<string, object>)[DOCMANAGER], autosaveInterval: 2 }
  }
});

/** Where this spec's objects live: `e://org/day-documents/`. */
const FOLDER = 'day-documents';
const NOTEBOOK_KEY = `shared/files/${FOLDER}/analysis.ipynb`;
const READS_KEY = `shared/files/${FOLDER}/reads.fastq.gz`;

/** A notebook as older tools write it (nbformat 4.4, no cell ids, lines as lists): JupyterLab normalises it on open. */
const NOTEBOOK = `${JSON.stringify(
  {
    cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['x = 1\n', 'x'] }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 4
  },
  null,
  1
)}\n`;

/** About 60 MB of gzip members of FASTQ reads, as BGZF files are: above the 50 MB open limit. */
function bigFastqGz(): Buffer {
  const reads = Array.from({ length: 2000 }, (_, i) => `@read:${i}\n${'ACGT'.repeat(25)}\n+\n${'I'.repeat(100)}\n`);
  const member = gzipSync(reads.join(''), { level: 1 });
  return Buffer.concat(Array.from({ length: Math.ceil(60e6 / member.length) }, () => member));
}

/** Double-click `name` in `folder` (a top-level folder of Organization). */
async function openFromTree(page: Page, folder: string, name: string) {
  const tree = await openEos(page, { home: false });
  const item = tree.getByRole('treeitem', { name, exact: true });
  if (!(await item.isVisible())) {
    await tree.getByRole('treeitem', { name: folder, exact: true }).dblclick();
  }
  await item.dblclick();
}

/** Answer JupyterLab's kernel question for a notebook: no kernel (none is needed here). */
async function noKernel(page: Page) {
  await page.locator('.jp-Dialog').getByRole('button', { name: 'No Kernel' }).click();
}

/** Wait until JupyterLab has handled the page's `/lab/tree/...` URL (its file browser is restored then). */
async function treeUrlHandled(page: Page) {
  await expect(page.locator('#filebrowser')).not.toHaveClass(/jp-mod-restoring/);
  await expect(page.locator('.jp-Dialog', { hasText: 'Cannot open' })).toHaveCount(0);
}

test.describe('EOS documents through a day', () => {
  test.beforeAll(async () => {
    await putObject(s3Info().orgBucket, NOTEBOOK_KEY, NOTEBOOK);
    await putObject(s3Info().orgBucket, READS_KEY, bigFastqGz());
  });

  test.afterAll(async () => {
    await deleteObjects(s3Info().orgBucket, [NOTEBOOK_KEY, READS_KEY]);
  });

  test('a reload restores EOS documents, and their bookmarked URL opens them', async ({ page }) => {
    await openFromTree(page, 'cohort-2026', 'samples.tsv');
    await expect(page.locator('.jp-CSVViewer')).toBeVisible();
    // JupyterLab saves the workspace a moment after the layout changes: the reload restores what it saved.
    const saved = page.waitForRequest(request => {
      const body = request.method() === 'PUT' && /api\/workspaces/.test(request.url()) ? request.postData() : null;
      return body !== null && body.includes('samples.tsv') && body.includes('analysis.ipynb');
    });
    await openFromTree(page, FOLDER, 'analysis.ipynb');
    await noKernel(page);
    await expect(page.locator('.jp-NotebookPanel .jp-Cell')).toContainText('x = 1');
    // The URL names the active document: what a reload reopens and what a bookmark keeps.
    await expect(page).toHaveURL(/\/lab\/tree\/EOS(:|%3A)org\/day-documents\/analysis\.ipynb$/);
    const bookmark = new URL(page.url()).pathname;

    // F5 (Galata's own reload waits for a Launcher, which JupyterLab does not restore beside documents).
    await saved;
    await page.evaluate(() => location.reload());
    await noKernel(page);
    await treeUrlHandled(page);
    await expect(page.getByRole('tab', { name: /analysis\.ipynb/ })).toBeVisible();
    await expect(page.getByRole('tab', { name: /samples\.tsv/ })).toBeVisible();
    await expect(page.locator('.jp-NotebookPanel .jp-Cell')).toContainText('x = 1');
    // One note per document, even though the URL revealed the restored notebook again.
    await expect(page.locator('.jp-NotebookPanel .jp-EosDocNote')).toHaveCount(1);
    await page.getByRole('tab', { name: /samples\.tsv/ }).click();
    await expect(page.locator('.jp-CSVViewer')).toBeVisible();

    // The bookmark in a new page and a new workspace: only the URL says what to open.
    const fresh = await page.context().newPage();
    await fresh.goto(bookmark.replace('/lab/tree/', `/lab/workspaces/bookmark-${Date.now()}/tree/`));
    await noKernel(fresh);
    await treeUrlHandled(fresh);
    await expect(fresh.getByRole('tab', { name: /analysis\.ipynb/ })).toBeVisible();
    await expect(fresh.locator('.jp-NotebookPanel .jp-Cell')).toContainText('x = 1');
    await fresh.close();
  });

  test('opening and autosaving a shared notebook writes nothing; an edit saved is written', async ({ page }) => {
    const etag = await etagOf(s3Info().orgBucket, NOTEBOOK_KEY);
    await openFromTree(page, FOLDER, 'analysis.ipynb');
    await noKernel(page);
    const tab = page.getByRole('tab', { name: /analysis\.ipynb/ });
    // JupyterLab marks the normalised notebook dirty; autosave (2 s) runs and clears that.
    await expect(tab).toHaveClass(/jp-mod-dirty/);
    await expect(tab).not.toHaveClass(/jp-mod-dirty/, { timeout: 15000 });
    expect(await etagOf(s3Info().orgBucket, NOTEBOOK_KEY)).toBe(etag);
    expect((await getObject(s3Info().orgBucket, NOTEBOOK_KEY)).toString()).toBe(NOTEBOOK);

    const editor = page.locator('.jp-NotebookPanel .jp-Cell .cm-content').first();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' + 1');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+s');
    await expect.poll(() => etagOf(s3Info().orgBucket, NOTEBOOK_KEY)).not.toBe(etag);
    const saved = JSON.parse((await getObject(s3Info().orgBucket, NOTEBOOK_KEY)).toString());
    expect(saved.cells[0].source).toBe('x = 1\nx + 1');
  });

  test('double-clicking a 60 MB .fastq.gz opens Peek, not "File too large"', async ({ page }) => {
    await openFromTree(page, FOLDER, 'reads.fastq.gz');
    await expect(page.getByRole('tab', { name: /Peek: reads\.fastq\.gz/ })).toBeVisible();
    await expect(page.locator('.jp-EosPeek').getByRole('listitem')).toHaveCount(20);
    await expect(
      page.locator('.jp-EosPeek').getByRole('listitem').first().locator('.jp-EosPeek-readHeader')
    ).toHaveText('@read:0');
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
  });
});
