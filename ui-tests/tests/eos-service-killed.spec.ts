/**
 * The EOS service killed in the middle of a transfer (issue 16): SIGKILL of
 * the Node process jupyter-server-proxy runs, found on the server side. The
 * proxy starts it again; without a page reload the panel shows the running
 * upload as interrupted with its Retry, the tree still lists, a new transfer
 * works and the retry completes.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { keysUnder, myKey, withS3 } from './demo-s3';
import { uploadToEosFromMenu } from './filebrowser';
import { item, openEos, refreshMine } from './eos';
import { removeScratch } from './scratch';
import { servicePid } from './service';

test.use({ autoGoto: true });
test.afterEach(removeScratch);

/** Large enough that the upload (moto on loopback, a shared machine) is still running when killed. */
const BIG = 192 * 1024 * 1024;
const ROOT = path.resolve(__dirname, '../../.demo/galata-root');
const SHOTS = process.env.EOS_UI_SHOTS;

/** A file of `size` bytes (a random MiB repeated) at `relative` under the Jupyter root. */
function bigFile(relative: string, size: number): void {
  const block = crypto.randomBytes(1024 * 1024);
  const fd = fs.openSync(path.join(ROOT, relative), 'w');
  try {
    for (let written = 0; written < size; written += block.length) {
      fs.writeSync(fd, block, 0, Math.min(block.length, size - written));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Multipart uploads open under `e://users/me/<prefix>`. */
async function openUploads(prefix: string): Promise<number> {
  const answer = await withS3((client, Bucket) =>
    client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: myKey(prefix) }))
  );
  return (answer.Uploads ?? []).length;
}

/** With EOS_UI_SHOTS set, a picture of the Transfers panel in that folder. */
async function shoot(page: Page, name: string): Promise<void> {
  if (SHOTS) {
    await page.locator('#eos-transfers').screenshot({ path: path.join(SHOTS, name) });
  }
}

test('the service killed mid-upload: restarted by the proxy, the panel recovers without a reload', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(120000);
  const folder = `killed-${Date.now()}`;
  bigFile(`${tmpPath}/big.bin`, BIG);
  await page.contents.uploadContent('small', 'text', `${tmpPath}/small.txt`);
  const tree = await openEos(page);
  // A marker on the window: a reload would lose it.
  await page.evaluate(() => ((window as unknown as { eosMarker: number }).eosMarker = 1));

  await uploadToEosFromMenu(page, 'big.bin', `e://users/me/${folder}/`);
  await page.evaluate(() => window.jupyterapp.commands.execute('eos:show-transfers'));
  const panel = page.locator('#eos-transfers');
  const rows = panel.getByRole('listitem', { name: new RegExp(`big\\.bin → e://users/me/${folder}/`) });
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  // Running, with bytes sent: then the service dies.
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^[1-9]/, { timeout: 30000 });
  await expect(row.getByRole('button', { name: /^Cancel / })).toBeVisible();
  const killed = servicePid();
  expect(killed).not.toBeNull();
  process.kill(killed!, 'SIGKILL');

  // The proxy starts a new service (a non-zero exit is restarted at once).
  await expect.poll(() => [null, killed].includes(servicePid()), { timeout: 20000 }).toBe(false);
  // The panel re-lists: the upload is interrupted, with its Retry and what happened.
  await expect(row.locator('.jp-EosTransfers-state')).toHaveText('Interrupted', { timeout: 30000 });
  const retry = row.getByRole('button', { name: /^Retry / });
  await expect(retry).toBeVisible();
  await expect(row.getByRole('alert')).toContainText('The EOS service stopped');
  if (SHOTS) {
    await shoot(page, 'killed-light.png');
    await page.theme.setDarkTheme();
    await shoot(page, 'killed-dark.png');
    await page.theme.setLightTheme();
  }
  // The new service keeps the multipart upload the killed one had open, for the retry to resume
  // (the resume ledger, 24 h at most); no object was written.
  expect(await openUploads(`${folder}/`)).toBe(1);
  expect(await keysUnder(`${folder}/`)).toEqual([]);

  // The tree still lists.
  await openEos(page);
  await refreshMine(page, tree);
  await expect(item(tree, 'notes.txt')).toBeVisible();

  // A new transfer works.
  await uploadToEosFromMenu(page, 'small.txt', `e://users/me/${folder}/`);
  await page.evaluate(() => window.jupyterapp.commands.execute('eos:show-transfers'));
  const small = panel.getByRole('listitem', { name: new RegExp(`small\\.txt → e://users/me/${folder}/`) });
  await expect(small.locator('.jp-EosTransfers-state')).toHaveText('Done', { timeout: 30000 });

  // The retry resumes the kept upload and completes it; no multipart upload is left.
  await retry.click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first().locator('.jp-EosTransfers-state')).toHaveText('Done', { timeout: 60000 });
  expect(await keysUnder(`${folder}/`)).toEqual([`${folder}/big.bin`, `${folder}/small.txt`]);
  expect(await openUploads(`${folder}/`)).toBe(0);
  // Never reloaded.
  expect(await page.evaluate(() => (window as unknown as { eosMarker?: number }).eosMarker)).toBe(1);
  await shoot(page, 'retried-light.png');
});
