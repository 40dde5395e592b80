/**
 * The Transfers panel, uploads from the computer (Upload button, folders,
 * conflicts, cancel) and Download to Computer, against the seeded demo S3
 * server (devtools/demo.py --galata) through the real service.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { uploadToEosFromMenu } from './filebrowser';
import { removeScratch } from './scratch';
import { keysUnder, myKey, readMine, s3, s3Info } from './demo-s3';
import { openEos } from './eos';

const sha = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

test.use({ autoGoto: true });
test.afterEach(removeScratch);

/** Make a folder `e://users/me/<name>/` through the UI and leave it selected. */
async function newFolder(page: Page, tree: Locator, name: string): Promise<void> {
  await tree.getByRole('treeitem', { name: 'My files', exact: true }).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'New Folder' }).click();
  await page.getByRole('dialog').getByRole('textbox').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
  await expect(tree.getByRole('treeitem', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
}

/** The header's upload buttons, named by their captions (which say where the files go). */
const FILES_BUTTON = /^Upload files from your computer to /;
const FOLDER_BUTTON = /^Upload a folder from your computer to /;

/** Pick files with the EOS header's Upload button. */
async function uploadWithButton(page: Page, button: RegExp, files: string | string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.jp-EosBrowser-header').getByRole('button', { name: button }).click();
  await (await chooser).setFiles(files);
}

function transfersList(page: Page): Locator {
  return page.locator('#eos-transfers');
}

/** A file of `size` pseudo-random bytes in a temporary folder. */
function tempFile(name: string, size: number): { file: string; bytes: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-ui-'));
  const bytes = crypto.randomBytes(size);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

test.describe('EOS transfers', () => {
  test('the Transfers panel opens in the right sidebar under EOS, beside the file browser', async ({ page }) => {
    const tree = await openEos(page);
    await page.evaluate(() => window.jupyterapp.commands.execute('eos:show-transfers'));
    const panel = transfersList(page);
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { name: 'Transfers' })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Clear finished' })).toBeVisible();
    // It takes the EOS panel's place in the right sidebar; the file browser (left) stays.
    await expect(page.locator('.jp-SideBar.jp-mod-right [data-id="eos-transfers"]')).toBeVisible();
    await expect(tree).toBeHidden();
    await expect(page.locator('#filebrowser')).toBeVisible();
  });

  test('Upload Files sends a 20 MiB file in raw parts into the selected folder, shown in the panel', async ({
    page
  }) => {
    const tree = await openEos(page);
    const folder = `upload-${Date.now()}`;
    await newFolder(page, tree, folder);
    const { file, bytes } = tempFile('reads.bam', 20 * 1024 * 1024 + 123);
    const parts: string[] = [];
    page.on('request', request => {
      if (request.url().includes('/eos/api/uploads/part')) {
        parts.push(request.headers()['content-type']);
      }
    });
    await uploadWithButton(page, FILES_BUTTON, file);
    // The EOS panel stays in front; the panel is one command away.
    await expect(tree).toBeVisible();
    await page.evaluate(() => window.jupyterapp.commands.execute('eos:show-transfers'));

    const panel = transfersList(page);
    await expect(panel).toBeVisible();
    const row = panel.getByRole('listitem', { name: new RegExp(`e://users/me/${folder}/`) }).first();
    await expect(row.locator('.jp-EosTransfers-state')).toHaveText('Done', { timeout: 60000 });
    // Each part went with its CRC64NVME, the object with the whole file's.
    await expect(row.locator('.jp-EosTransfers-integrity')).toHaveText('verified (crc64nvme)');
    expect(await keysUnder(`${folder}/`)).toEqual([`${folder}/`, `${folder}/reads.bam`]);
    expect(sha(await readMine(`${folder}/reads.bam`))).toBe(sha(bytes));
    expect(parts.length).toBeGreaterThanOrEqual(2); // parts of at most 64 MiB, at least 8 MiB
    expect(parts.every(type => type === 'application/octet-stream')).toBe(true);
  });

  test('Upload Folder keeps the folder structure', async ({ page }) => {
    const tree = await openEos(page);
    const folder = `folder-upload-${Date.now()}`;
    await newFolder(page, tree, folder);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-ui-'));
    fs.mkdirSync(path.join(dir, 'run', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'run', 'a.vcf'), 'A\n');
    fs.writeFileSync(path.join(dir, 'run', 'sub', 'b.vcf'), 'B\n');
    await uploadWithButton(page, FOLDER_BUTTON, path.join(dir, 'run'));
    await expect
      .poll(() => keysUnder(`${folder}/`), { timeout: 30000 })
      .toEqual([`${folder}/`, `${folder}/run/a.vcf`, `${folder}/run/sub/b.vcf`]);
    expect((await readMine(`${folder}/run/sub/b.vcf`)).toString()).toBe('B\n');
  });

  test('an existing target is asked about: Keep both writes beside it', async ({ page }) => {
    const tree = await openEos(page);
    const folder = `conflict-${Date.now()}`;
    await newFolder(page, tree, folder);
    const first = tempFile('same.txt', 100);
    await uploadWithButton(page, FILES_BUTTON, first.file);
    await expect.poll(() => keysUnder(`${folder}/`), { timeout: 30000 }).toContain(`${folder}/same.txt`);

    await tree.getByRole('treeitem', { name: folder, exact: true }).click();
    const second = tempFile('same.txt', 200);
    await uploadWithButton(page, FILES_BUTTON, second.file);
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(`e://users/me/${folder}/same.txt already exists`);
    await dialog.getByRole('button', { name: 'Keep both' }).click();
    await expect
      .poll(() => keysUnder(`${folder}/`), { timeout: 30000 })
      .toEqual([`${folder}/`, `${folder}/same (1).txt`, `${folder}/same.txt`]);
    expect(sha(await readMine(`${folder}/same.txt`))).toBe(sha(first.bytes));
    expect(sha(await readMine(`${folder}/same (1).txt`))).toBe(sha(second.bytes));
  });

  test('uploading into a read-only folder is not offered: the button is disabled and says why', async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'Gencove', exact: true }).click();
    // Not offered: the button is disabled and its caption says why.
    const button = page
      .locator('.jp-EosBrowser-header')
      .getByRole('button', { name: /is read-only/ })
      .first();
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('aria-label', /^e:\/\/gencove\/ is read-only/);
  });

  test('Download to Computer saves the object under its name', async ({ page }) => {
    // moto ignores response-content-disposition; S3 answers with it: play S3's part here.
    await page.context().route(/response-content-disposition=/, async route => {
      const url = new URL(route.request().url());
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-disposition': url.searchParams.get('response-content-disposition')! }
      });
    });
    const tree = await openEos(page);
    const download = page.waitForEvent('download');
    await tree.getByRole('treeitem', { name: 'notes.txt', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Download to Computer' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('notes.txt');
    expect(fs.readFileSync((await saved.path())!)).toEqual(await readMine('notes.txt'));
  });

  test("Download to Computer is not in a folder's menu", async ({ page }) => {
    const tree = await openEos(page);
    await tree.getByRole('treeitem', { name: 'project-1', exact: true }).click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Copy EOS URI' })).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Download to Computer' })).toHaveCount(0);
  });

  test('Cancel in the panel stops an upload: no object and no multipart upload remain', async ({ page }) => {
    const tree = await openEos(page);
    const folder = `cancel-${Date.now()}`;
    await newFolder(page, tree, folder);
    // Hold every part after the first, so the upload is surely running when Cancel is pressed.
    let parts = 0;
    await page.route(/\/eos\/api\/uploads\/part/, async route => {
      if (++parts > 1) {
        await new Promise(resolve => setTimeout(resolve, 3000));
      }
      await route.continue().catch(() => undefined);
    });
    const { file } = tempFile('big.bin', 40 * 1024 * 1024);
    await uploadWithButton(page, FILES_BUTTON, file);
    await page.evaluate(() => window.jupyterapp.commands.execute('eos:show-transfers'));
    const row = transfersList(page)
      .getByRole('listitem', { name: new RegExp(`e://users/me/${folder}/`) })
      .first();
    await row.getByRole('button', { name: /^Cancel / }).click();
    await expect(row.locator('.jp-EosTransfers-state')).toHaveText('Cancelled', { timeout: 30000 });
    await expect(row.getByRole('button', { name: /^Cancel / })).toHaveCount(0);
    const client = s3();
    await expect
      .poll(async () => {
        const open = await client.send(
          new ListMultipartUploadsCommand({ Bucket: s3Info().orgBucket, Prefix: myKey(`${folder}/`) })
        );
        return (open.Uploads ?? []).length;
      })
      .toBe(0);
    client.destroy();
    expect(await keysUnder(`${folder}/`)).toEqual([`${folder}/`]);
  });

  test('a conflict is asked in the notification and in the panel, and the answer reaches the running job', async ({
    page,
    tmpPath
  }) => {
    const base = `ask-${Date.now()}`;
    const client = s3();
    await client.send(
      new PutObjectCommand({ Bucket: s3Info().orgBucket, Key: myKey(`${base}/${base}.txt`), Body: 'old bytes' })
    );
    client.destroy();
    await page.contents.uploadContent('new bytes', 'text', `${tmpPath}/${base}.txt`);
    await uploadToEosFromMenu(page, `${base}.txt`, `e://users/me/${base}/`);
    // The job waits for the answer: its notification asks, with the answers as buttons.
    const note = page.locator('.Toastify__toast', { hasText: 'Waiting for your answer' });
    await expect(note).toContainText(`e://users/me/${base}/${base}.txt already exists`, { timeout: 20000 });
    await expect(note.getByRole('button', { name: 'Overwrite' })).toBeVisible();
    expect((await readMine(`${base}/${base}.txt`)).toString()).toBe('old bytes');
    // The panel asks the same question in the job's row; answered there, the notification moves on.
    await page.evaluate(() => window.jupyterapp.commands.execute('eos:show-transfers'));
    const question = transfersList(page).getByRole('group', { name: `e://users/me/${base}/${base}.txt exists` });
    await expect(question).toBeVisible();
    await question.getByRole('button', { name: 'Overwrite' }).click();
    await expect
      .poll(async () => (await readMine(`${base}/${base}.txt`)).toString(), { timeout: 20000 })
      .toBe('new bytes');
    await expect(question).toHaveCount(0);
    await expect(note).toHaveCount(0);
    expect(await keysUnder(`${base}/`)).toEqual([`${base}/${base}.txt`]);
  });
});
