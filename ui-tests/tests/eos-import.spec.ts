/**
 * Import from URL… on an EOS folder: the service fetches a file a local HTTP
 * server (started by the test) serves, and the object appears in the tree.
 */
import { expect, test } from '@jupyterlab/galata';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { putMine, readMine } from './demo-s3';
import { item, openEos, pick, refreshMine } from './eos';
import { removeScratch } from './scratch';

test.use({ autoGoto: true });
test.afterEach(removeScratch);

const BODY = Buffer.from('##fileformat=VCFv4.2\n#CHROM\tPOS\n');
let server: http.Server;
let base: string;

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/calls/sample.vcf') {
      res.writeHead(200, { 'content-length': BODY.length });
      res.end(BODY);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

test('Import from URL… puts the served file into the folder, and the tree shows it', async ({ page }) => {
  const folder = `import-${Date.now()}`;
  await putMine({ [`${folder}/README.txt`]: 'scratch' });
  const tree = await openEos(page);
  await refreshMine(page, tree);
  await pick(page, tree, folder, 'Import from URL…');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`e://users/me/${folder}/`);
  const accept = dialog.getByRole('button', { name: 'Import' });
  await expect(accept).toBeDisabled();
  await dialog.getByRole('textbox').first().fill('ftp://nowhere/x');
  await expect(dialog.getByRole('alert')).toHaveText('Not an http:// or https:// URL: ftp://nowhere/x');
  await dialog.getByRole('textbox').first().fill(`${base}/calls/sample.vcf`);
  await accept.click();
  // The job's notification says how it ended.
  await expect(
    page.getByRole('alert').filter({ hasText: `Imported ${base}/calls/sample.vcf to e://users/me/${folder}/` })
  ).toBeVisible();
  await item(tree, folder).dblclick();
  await expect(item(tree, 'sample.vcf')).toBeVisible();
  expect((await readMine(`${folder}/sample.vcf`)).equals(BODY)).toBe(true);
});
