// The browser half of bench/load.mjs: the EOS panel in Debian's chromium,
// browsed as a user does (expand a folder of thousands of objects, scroll it
// with the wheel, collapse it, expand small folders), idle and during an
// upload; the page's long frames in each window.
import { chromium } from '@playwright/test';

const CHROMIUM = process.env.EOS_CHROMIUM || '/usr/bin/chromium';
const ROW = '.jp-EosBrowser-tree [role="treeitem"]';
const row = uri => `${ROW}[data-uri="${uri}"]`;

/** In the page before anything runs: long animation frames, long tasks and the gaps between frames. */
function installFrameProbe() {
  const probe = { loaf: [], longtask: [], gaps: [], last: 0 };
  window.__load = probe;
  for (const type of ['long-animation-frame', 'longtask']) {
    try {
      new PerformanceObserver(list => {
        for (const e of list.getEntries()) {
          const entry = { start: e.startTime, duration: e.duration };
          if (e.scripts) {
            // where a long animation frame went: its scripts, then style and layout
            entry.layout = e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
            entry.scripts = e.scripts.map(x => ({
              what: `${x.invoker} ${x.sourceFunctionName || ''} ${(x.sourceURL || '').split('/').pop()}`.trim(),
              ms: x.duration
            }));
          }
          probe[type === 'longtask' ? 'longtask' : 'loaf'].push(entry);
        }
      }).observe({ type, buffered: true });
    } catch {
      probe[type === 'longtask' ? 'longtask' : 'loaf'] = null;
    }
  }
  const tick = now => {
    if (probe.last) {
      probe.gaps.push({ start: probe.last, duration: now - probe.last });
    }
    probe.last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** The frame figures of entries that started in [from, to] (page time, ms). */
function framesIn(page, from, to) {
  return page.evaluate(
    ([t0, t1]) => {
      const probe = window.__load;
      const inside = list => (list ? list.filter(e => e.start >= t0 && e.start <= t1) : null);
      const max = list => (list ? list.reduce((m, e) => Math.max(m, e.duration), 0) : null);
      const over = list => (list ? list.filter(e => e.duration > 50).length : null);
      const loaf = inside(probe.loaf);
      const gaps = inside(probe.gaps);
      const worst = loaf?.reduce((w, e) => (!w || e.duration > w.duration ? e : w), null);
      return {
        worst: worst && {
          ms: worst.duration,
          layout: worst.layout,
          scriptMs: worst.scripts.reduce((sum, x) => sum + x.ms, 0),
          scripts: worst.scripts
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 3)
            .map(x => `${x.what} ${Math.round(x.ms)} ms`)
        },
        seconds: (t1 - t0) / 1000,
        loaf: max(loaf),
        loafOver50: over(loaf),
        longtask: max(inside(probe.longtask)),
        gap: max(gaps),
        gapsOver50: over(gaps)
      };
    },
    [from, to]
  );
}

const now = page => page.evaluate(() => performance.now());

/** Double-click a folder row (expands or collapses it), scrolled into view first. */
async function toggle(page, uri) {
  await page.locator(row(uri)).dblclick({ timeout: 60000 });
}

/** Expand `uri` if it is shown and collapsed. */
async function expand(page, uri) {
  const el = page.locator(row(uri));
  if ((await el.count()) && (await el.getAttribute('aria-expanded')) === 'false') {
    await toggle(page, uri);
  }
}

/** One round of browsing; answers the number of actions taken. */
async function browseOnce(page, tree) {
  let actions = 0;
  await toggle(page, 'e://users/me/big/');
  await page.locator(row('e://users/me/big/item-000000.txt')).waitFor({ timeout: 60000 });
  actions++;
  const box = await tree.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 300));
  for (let i = 0; i < 25; i++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(80); // a user's wheel, not a wait for a condition
    actions++;
  }
  await page.mouse.wheel(0, -1e6);
  await page.locator(row('e://users/me/big/')).waitFor();
  await toggle(page, 'e://users/me/big/');
  actions++;
  await toggle(page, 'e://users/me/browse/');
  for (const d of [0, 3, 6]) {
    const dir = `e://users/me/browse/dir-${d}/`;
    await toggle(page, dir);
    await page.locator(row(`${dir}file-000.txt`)).waitFor({ timeout: 60000 });
    await toggle(page, dir);
    actions += 2;
  }
  await toggle(page, 'e://users/me/browse/');
  return actions + 2;
}

/** Browse until `done()`; answer the page-time window and the actions. */
async function browseWhile(page, tree, done, before = async () => {}) {
  const from = await now(page);
  let actions = 0;
  while (!done()) {
    await before();
    actions += await browseOnce(page, tree);
  }
  return { from, to: await now(page), actions };
}

/**
 * Open JupyterLab with the EOS panel; browse for `idleMs` with the last
 * upload's folder (`e://users/me/incoming/upload-src/`, 1,000 objects)
 * expanded, then during an upload into `e://users/me/live/`, expanding that
 * folder as it appears so its rows arrive while browsing.
 */
export async function browse(lab, idleMs, { headed, upload }) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !headed,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(installFrameProbe);
    await page.goto(`${lab.base}/lab/workspaces/bench-load?reset&token=${lab.token}`);
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached', timeout: 120000 });
    // Show the panel (clicking its tab while the restored layout already shows it would hide it).
    const panel = page.locator('#eos-browser');
    const tab = page.locator('.jp-SideBar [data-id="eos-browser"]');
    await tab.waitFor({ timeout: 120000 });
    for (let tries = 0; !(await panel.isVisible()) && tries < 5; tries++) {
      await tab.click();
      await panel.waitFor({ state: 'visible', timeout: 3000 }).catch(() => {});
    }
    const tree = page.locator('.jp-EosBrowser-tree');
    await page.locator(row('e://users/me/big/')).waitFor({ timeout: 120000 });
    await toggle(page, 'e://users/me/incoming/');
    await toggle(page, 'e://users/me/incoming/upload-src/');
    await page.locator(row('e://users/me/incoming/upload-src/f-00000.bin')).waitFor({ timeout: 60000 });

    const idleEnd = Date.now() + idleMs;
    const idle = await browseWhile(page, tree, () => Date.now() > idleEnd);
    await toggle(page, 'e://users/me/incoming/');

    let finished = false;
    const started = Date.now();
    const running = upload('e://users/me/live/').finally(() => {
      finished = true;
    });
    const busy = await browseWhile(
      page,
      tree,
      () => finished,
      async () => {
        await expand(page, 'e://users/me/live/');
        await expand(page, 'e://users/me/live/upload-src/');
      }
    );
    const up = await running;
    if (process.env.EOS_LOAD_SHOTS) {
      await page.screenshot({ path: `${process.env.EOS_LOAD_SHOTS}/load-after-upload.png` });
    }
    return {
      chromium: browser.version(),
      uploadSeconds: up.seconds,
      uploadWall: (Date.now() - started) / 1000,
      idle: { ...(await framesIn(page, idle.from, idle.to)), actions: idle.actions },
      busy: { ...(await framesIn(page, busy.from, busy.to)), actions: busy.actions },
      how:
        'How: chromium (headless) on a fresh workspace with the EOS panel open. Each round double-clicks ' +
        '`e://users/me/big/` open, waits for its first row, scrolls the tree with 25 mouse-wheel steps of 600 px ' +
        '(80 ms apart), scrolls back up and collapses it, then opens and closes three small folders. Idle, ' +
        "the first upload's folder (1,000 objects) stays expanded; during the upload, the folder it writes is " +
        'expanded as soon as it shows, so its rows arrive while browsing. Long frames from ' +
        'PerformanceObserver("long-animation-frame") and ("longtask") (0 ms: none over 50 ms), gaps from ' +
        'requestAnimationFrame deltas, counted over each window.'
    };
  } catch (error) {
    const shots = process.env.EOS_LOAD_SHOTS;
    if (shots) {
      await Promise.all(
        browser
          .contexts()
          .flatMap(c => c.pages())
          .map((p, i) => p.screenshot({ path: `${shots}/load-failed-${i}.png` }))
      );
    }
    throw error;
  } finally {
    await browser.close();
  }
}
