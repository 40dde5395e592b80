/**
 * Add S3 Location… (issue 17): a public bucket outside EOS (the demo's
 * `demo-1000genomes`, read unsigned) becomes a read-only root that browses
 * like the others (a double click peeks), and Remove S3 Location takes it away again.
 */
import { expect, test } from '@jupyterlab/galata';
import { item, openEos, pick } from './eos';

test.use({ autoGoto: true });

const LOCATION = 's3://demo-1000genomes/phase3/';

test('Add S3 Location… shows a public bucket as a read-only root; Remove takes it away', async ({ page }) => {
  const tree = await openEos(page);
  await pick(page, tree, 'My files', 'Add S3 Location…');
  const dialog = page.getByRole('dialog');
  const accept = dialog.getByRole('button', { name: 'Add' });
  await dialog.getByRole('textbox').fill('s3://gencove-explorer-data/files/');
  await expect(dialog.getByRole('alert')).toContainText('holds EOS');
  await expect(accept).toBeDisabled();
  await dialog.getByRole('textbox').fill('s3://demo-1000genomes/phase3');
  await dialog.getByRole('checkbox').uncheck();
  await accept.click();

  const root = item(tree, LOCATION);
  await expect(root).toHaveAttribute('aria-description', 'Read-only');
  await expect(root).toHaveAttribute('aria-expanded', 'true'); // opened and listed
  const panel = item(tree, 'integrated_call_samples.panel');
  await expect(panel).toHaveAttribute('aria-description', 'Read-only');
  await item(tree, 'data').dblclick();
  await expect(item(tree, 'HG00096')).toBeVisible();
  // Not on the EOS drive: a double click peeks, reading the public object unsigned.
  await panel.dblclick();
  await expect(page.getByRole('main').getByText('HG00096\tGBR\tEUR')).toBeVisible();

  await pick(page, tree, LOCATION, 'Remove S3 Location');
  await expect(root).toHaveCount(0);
  await expect(item(tree, 'My files')).toBeVisible();
});
