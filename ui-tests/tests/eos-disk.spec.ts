/**
 * The local disk gauge: its colours at each threshold, one notification per
 * upward crossing (also across a reload), "Move to EOS" from the
 * free-up-space view, and a download that does not fit refused with the
 * amount missing. Runs on a demo whose service measures the Jupyter root in
 * quota mode against a 16 MB limit (EOS_UI_DISK=1, see playwright.config.js).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { openEos } from './eos';

test.skip(!process.env.EOS_UI_DISK, 'needs the demo in disk mode: EOS_UI_DISK=1 (make test-ui runs it)');
test.use({ autoGoto: true });

const ROOT = path.resolve(__dirname, '../../.demo/galata-root');

function s3Info(): { endpoint: string; orgBucket: string; userId: string } {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../.demo/s3.json'), 'utf-8'));
}

function s3(): S3Client {
  return new S3Client({
    endpoint: s3Info().endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }
  });
}

const myKey = (key: string) => `users/${s3Info().userId}/files/${key}`;

async function readMine(key: string): Promise<Buffer | null> {
  const client = s3();
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: s3Info().orgBucket, Key: myKey(key) }));
    return Buffer.from(await answer.Body!.transformToByteArray());
  } catch {
    return null;
  } finally {
    client.destroy();
  }
}

async function removeMine(keys: string[]): Promise<void> {
  const client = s3();
  await client.send(
    new DeleteObjectsCommand({ Bucket: s3Info().orgBucket, Delete: { Objects: keys.map(k => ({ Key: myKey(k) })) } })
  );
  client.destroy();
}

/** Set one of the extension's settings through JupyterLab's setting registry. */
async function setSetting(page: Page, key: string, value: number | string): Promise<void> {
  await page.evaluate(
    async ([k, v]) => {
      const registry = await window.galata.getPlugin('@jupyterlab/apputils-extension:settings');
      await registry!.set('jupyterlab-eos:plugin', k as string, v as number);
    },
    [key, value]
  );
}

/** The service's figure for the root (quota mode), once a walk has measured it. */
async function usedBytes(page: Page): Promise<number> {
  for (;;) {
    const reply = await page.request.get('/eos/api/disk');
    const disk = await reply.json();
    if (disk.measuredAt !== null) {
      expect(disk.mode).toBe('quota');
      return disk.used;
    }
  }
}

/** The limit (in GB, for the setting) that puts usage at `percent`. */
function limitFor(used: number, percent: number): number {
  return used / (percent / 100) / 1000 ** 3;
}

/** How many notifications of the gauge the page holds. */
async function diskNotifications(page: Page): Promise<string[]> {
  const all = await page.evaluate(async () => (await window.galata.getNotifications()).map(n => n.message));
  return all.filter(m => m.startsWith('The local disk is'));
}

/** Wait until the gauge has asked the service `n` more times. */
async function polls(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await page.waitForResponse(r => r.url().includes('/eos/api/disk?') || r.url().endsWith('/eos/api/disk'));
  }
}

function gauge(page: Page): Locator {
  return page.locator('.jp-EosDisk-statusButton');
}

/** The colour a CSS variable of the theme resolves to. */
async function themeColour(page: Page, variable: string): Promise<string> {
  return page.evaluate(v => {
    const probe = document.createElement('div');
    probe.style.background = `var(${v})`;
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  }, variable);
}

test.describe('disk gauge', () => {
  test.beforeEach(async ({ page }) => {
    await setSetting(page, 'diskPollSeconds', 1);
  });

  test('is coloured at each threshold, in the status bar and the EOS panel header', async ({ page }) => {
    const used = await usedBytes(page);
    await openEos(page, { home: false });
    const bar = page.getByRole('meter', { name: 'Local disk use' });
    const fill = bar.locator('.jp-EosDisk-barFill');
    const colours = {
      ok: await themeColour(page, '--jp-success-color1'),
      warn: await themeColour(page, '--jp-warn-color1'),
      critical: await themeColour(page, '--jp-error-color1')
    };
    for (const [percent, level] of [
      [50, 'ok'],
      [87, 'warn'],
      [98, 'critical'],
      [50, 'ok']
    ] as const) {
      await setSetting(page, 'diskLimitGB', limitFor(used, percent));
      await expect(gauge(page)).toHaveAttribute('data-level', level);
      await expect(bar).toHaveAttribute('data-level', level);
      await expect(fill).toHaveCSS('background-color', colours[level]);
      await expect(gauge(page)).toContainText(`(${percent}%)`);
      if (level !== 'ok') {
        await expect(gauge(page)).toHaveCSS('background-color', colours[level]);
      }
      await expect(gauge(page)).toHaveAttribute('title', /Mode: quota/);
    }
  });

  test('notifies once per upward crossing, not at every poll nor after a reload', async ({ page }) => {
    const used = await usedBytes(page);
    await setSetting(page, 'diskLimitGB', limitFor(used, 50));
    await expect(gauge(page)).toHaveAttribute('data-level', 'ok');
    expect(await diskNotifications(page)).toEqual([]);

    await setSetting(page, 'diskLimitGB', limitFor(used, 87));
    await expect(gauge(page)).toHaveAttribute('data-level', 'warn');
    await expect.poll(() => diskNotifications(page)).toHaveLength(1);
    expect((await diskNotifications(page))[0]).toMatch(/^The local disk is 87% full/);
    await expect(page.getByRole('button', { name: 'Free up space' })).toBeVisible();
    await polls(page, 3);
    expect(await diskNotifications(page)).toHaveLength(1);

    await page.reload();
    await expect(gauge(page)).toHaveAttribute('data-level', 'warn');
    await polls(page, 3);
    expect(await diskNotifications(page)).toEqual([]);

    // Down, then up again: a new crossing.
    await setSetting(page, 'diskLimitGB', limitFor(used, 50));
    await expect(gauge(page)).toHaveAttribute('data-level', 'ok');
    await setSetting(page, 'diskLimitGB', limitFor(used, 87));
    await expect.poll(() => diskNotifications(page)).toEqual([expect.stringMatching(/^The local disk is 87% full/)]);
    // Warning to critical: the critical notification replaces the warning.
    await setSetting(page, 'diskLimitGB', limitFor(used, 98));
    await expect
      .poll(() => diskNotifications(page))
      .toEqual([expect.stringMatching(/^The local disk is almost full: 98% used/)]);

    // "Free up space" opens the view.
    await page.getByRole('button', { name: 'Free up space' }).first().click();
    await expect(page.getByRole('tab', { name: 'Free Up Space' })).toBeVisible();
    // Back below the thresholds: the notification goes away.
    await setSetting(page, 'diskLimitGB', 0);
    await expect(gauge(page)).toHaveAttribute('data-level', 'ok');
    await expect.poll(() => diskNotifications(page)).toEqual([]);
  });

  test('Move to EOS frees the space; the object is in the store byte-exact', async ({ page }) => {
    const name = `disk-move-${Date.now()}.bin`;
    const bytes = crypto.randomBytes(2_500_000);
    fs.writeFileSync(path.join(ROOT, name), bytes);
    try {
      await gauge(page).click();
      const view = page.locator('.jp-EosFree');
      const row = view.locator('.jp-EosFree-row', { has: page.locator(`[title="${name}"]`) });
      // The walk sees the whole file within a second or two (one under way may see part of it):
      // refresh until the row is listed with its size.
      await expect(async () => {
        await view.getByRole('button', { name: 'Refresh' }).click();
        await expect(row).toContainText('2.5 MB', { timeout: 1000 });
      }).toPass();
      await row.getByRole('button', { name: 'Move to EOS' }).click();
      await expect(view.getByRole('status')).toContainText('Moved to e://users/me/: 2.5 MB freed', {
        timeout: 30000
      });
      expect(fs.existsSync(path.join(ROOT, name))).toBe(false);
      expect((await readMine(name))?.equals(bytes)).toBe(true);
      await expect(row).toHaveCount(0);
    } finally {
      fs.rmSync(path.join(ROOT, name), { force: true });
      await removeMine([name]);
    }
  });

  test('a download that does not fit is refused, saying how much is missing', async ({ page }) => {
    const name = `disk-big-${Date.now()}.bin`;
    const client = s3();
    await client.send(
      new PutObjectCommand({ Bucket: s3Info().orgBucket, Key: myKey(name), Body: Buffer.alloc(20_000_000, 1) })
    );
    client.destroy();
    try {
      await openEos(page, { home: false });
      const tree = page.getByRole('tree', { name: 'EOS' });
      await tree.getByRole('treeitem', { name: 'My files', exact: true }).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Refresh' }).click();
      await tree.getByRole('treeitem', { name, exact: true }).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Download to Current Folder' }).click();
      await expect(page.locator('.Toastify__toast', { hasText: 'Not enough disk space' })).toBeVisible();
      const messages = await page.evaluate(async () => (await window.galata.getNotifications()).map(n => n.message));
      const refusal = messages.find(m => m.includes('Not enough space'));
      // 16 MB limit, a root of a few kB, 1 % of the limit kept free.
      expect(refusal).toMatch(/20\.0 MB needed \(and 160 kB kept free\), 1\d\.\d MB free \(4\.\d MB missing\)/);
      expect(fs.existsSync(path.join(ROOT, name))).toBe(false);
    } finally {
      await removeMine([name]);
    }
  });
});
