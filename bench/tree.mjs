// Benchmark: the EOS tree on a folder of 100,000 objects, next to JupyterLab's
// own file browser on a local folder of 10,000 files, in Debian's chromium.
//
//   node bench/tree.mjs [--big-folder 100000] [--local-files 10000] [--max-scroll-seconds 900] [--headed]
//   make bench-tree
//
// Starts the demo itself (devtools/demo.py --big-folder N, on a free port, its
// files in bench/.cache/demo), writes the local folder into the demo's Jupyter
// root, then for each panel, in a fresh page: expands the folder, scrolls its
// list to the very end, and measures. Writes bench/results/tree-<date>.md and
// prints it.
import { chromium } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    'big-folder': { type: 'string', default: '100000' },
    'local-files': { type: 'string', default: '10000' },
    'max-scroll-seconds': { type: 'string', default: '900' },
    out: { type: 'string', default: join(root, 'bench', 'results') },
    headed: { type: 'boolean', default: false }
  }
});
const BIG = Number(args['big-folder']);
const LOCAL = Number(args['local-files']);
const MAX_SCROLL_MS = Number(args['max-scroll-seconds']) * 1000;
const CHROMIUM = process.env.EOS_CHROMIUM || '/usr/bin/chromium';
const PYTHON = process.env.EOS_PYTHON || join(root, '.venv', 'bin', 'python');
const LOCAL_DIR = 'many-files';

/** "item-099999.txt": the names devtools/seed.py gives the huge folder's objects. */
const hugeName = i => `item-${String(i).padStart(6, '0')}.txt`;
const localName = i => `file-${String(i).padStart(5, '0')}.txt`;

function log(...parts) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);
}

/** Start the demo; resolve with its URL (token included), Jupyter root and process once it serves. */
function startDemo() {
  const dir = join(root, 'bench', '.cache', 'demo');
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const proc = spawn(PYTHON, ['-m', 'devtools.demo', '--port', '0', '--dir', dir, '--big-folder', String(BIG)], {
    cwd: root,
    env: { ...process.env, EOS_DEMO_BIG_FOLDER: String(BIG) },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stderr = '';
  proc.stderr.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    proc.stdout.on('data', chunk => {
      out += chunk;
      const url = out.match(/(http:\/\/\S+\/lab\?token=\w+)/);
      const jupyterRoot = out.match(/Jupyter root: (.+)/);
      const seeded = out.match(/seeded in ([\d.]+) s/);
      if (url && jupyterRoot) {
        resolvePromise({
          proc,
          url: url[1],
          root: jupyterRoot[1].trim(),
          seedSeconds: seeded ? Number(seeded[1]) : null,
          startSeconds: (Date.now() - started) / 1000
        });
      }
    });
    proc.on('exit', code => reject(new Error(`the demo exited (${code}) before serving:\n${stderr}`)));
  });
}

async function stopDemo(demo) {
  if (demo.proc.exitCode !== null) {
    return;
  }
  const exited = new Promise(r => demo.proc.once('exit', r));
  demo.proc.kill('SIGINT');
  const timer = setTimeout(() => demo.proc.kill('SIGKILL'), 30000);
  await exited;
  clearTimeout(timer);
}

/** In the page before anything runs: record long animation frames and the longest gap between frames. */
function installFrameProbe() {
  const probe = { loaf: [], gaps: [], last: 0 };
  window.__bench = probe;
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        probe.loaf.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    probe.loaf = null; // no Long Animation Frames API: the rAF gaps still say it
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

/**
 * The longest long-animation-frame and the longest rAF gap that started in
 * [from, to] (page time, ms): the GC the heap figures force stays outside.
 */
async function longestFrames(page, from, to) {
  return page.evaluate(
    ([t0, t1]) => {
      const probe = window.__bench;
      const inside = e => e.start >= t0 && e.start <= t1;
      const max = list => (list ? list.filter(inside).reduce((m, e) => Math.max(m, e.duration), 0) : null);
      return { loaf: max(probe.loaf), gap: max(probe.gaps) };
    },
    [from, to]
  );
}

/** Longest frames while the first page loaded, and while scrolling to the end. */
async function framesOf(page, open, scroll) {
  return {
    loading: await longestFrames(page, open.at, open.at + open.ms),
    scrolling: await longestFrames(page, scroll.at, scroll.at + scroll.ms)
  };
}

/** The tab's JS heap after a garbage collection (CDP), in bytes. */
async function jsHeap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find(m => m.name === 'JSHeapUsedSize')?.value ?? null;
}

/** A fresh page on a fresh workspace, JupyterLab started, the frame probe running. */
async function openLab(browser, url, workspace) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(installFrameProbe);
  page.on('console', message => {
    if (message.text().startsWith('[bench] ')) {
      log(`${workspace}: ${message.text().slice(8)}`);
    }
  });
  const u = new URL(url);
  u.pathname = `/lab/workspaces/${workspace}`;
  u.searchParams.set('reset', '');
  await page.goto(u.toString());
  await page.waitForSelector('#jupyterlab-splash', { state: 'detached', timeout: 120000 });
  await page.waitForSelector('.jp-SideBar', { timeout: 120000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { context, page, cdp };
}

/** Show a left sidebar panel by its id (clicking the tab of the panel already shown would hide it). */
async function showSidebarPanel(page, id) {
  const panel = page.locator(`#${id}`);
  if (!(await panel.isVisible())) {
    await page.locator(`.jp-SideBar [data-id="${id}"]`).click();
  }
  await panel.waitFor({ state: 'visible' });
}

/**
 * In the page: click `target`, wait until `firstSelector` is in the DOM, then
 * for the next frame to be produced. Returns ms from the click.
 */
async function clickUntilPainted(page, target, firstSelector, dblclick) {
  return page.evaluate(
    async ({ target, firstSelector, dblclick }) => {
      const el = document.querySelector(target);
      if (!el) {
        throw new Error(`nothing matches ${target}`);
      }
      const t0 = performance.now();
      el.dispatchEvent(new MouseEvent(dblclick ? 'dblclick' : 'click', { bubbles: true, cancelable: true, detail: 1 }));
      while (!document.querySelector(firstSelector)) {
        await new Promise(r => requestAnimationFrame(r));
        if (performance.now() - t0 > 120000) {
          throw new Error(`${firstSelector} did not appear within 120 s`);
        }
      }
      // painted: the frame that holds the new rows has been produced
      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      return { ms: performance.now() - t0, at: t0 };
    },
    { target, firstSelector, dblclick }
  );
}

/**
 * In the page: scroll `listSelector`'s scroll container to the bottom, again
 * and again, clicking a "Load more" button when one shows, until the row
 * `lastSelector` is in view (or `maxMs` passes). Returns the time, the most
 * rows the DOM held, and whether the end was reached.
 */
async function scrollToEnd(page, listSelector, rowSelector, lastSelector, maxMs) {
  return page.evaluate(
    async ({ listSelector, rowSelector, lastSelector, maxMs }) => {
      const list = document.querySelector(listSelector);
      const scrollable = el =>
        el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY);
      const scroller = () => {
        for (let el = list; el; el = el.parentElement) {
          if (scrollable(el)) {
            return el;
          }
        }
        return list;
      };
      const inView = el => {
        const a = el.getBoundingClientRect();
        const b = scroller().getBoundingClientRect();
        return a.bottom > b.top && a.top < b.bottom;
      };
      const frame = () => new Promise(r => requestAnimationFrame(r));
      const t0 = performance.now();
      let maxRows = list.querySelectorAll(rowSelector).length;
      let counted = t0;
      let clicks = 0;
      let last = null;
      while (!(last = document.querySelector(lastSelector)) || !inView(last)) {
        if (performance.now() - t0 > maxMs) {
          break;
        }
        const s = scroller();
        s.scrollTop = s.scrollHeight;
        s.dispatchEvent(new Event('scroll'));
        const more = [...list.querySelectorAll('button')].find(b => b.textContent.trim() === 'Load more');
        if (more && inView(more)) {
          more.click();
          clicks++;
        }
        await frame();
        if (performance.now() - counted > 250) {
          const n = list.querySelectorAll(rowSelector).length;
          maxRows = Math.max(maxRows, n);
          if (Math.floor((counted - t0) / 15000) !== Math.floor((performance.now() - t0) / 15000)) {
            console.log(`[bench] ${Math.round((performance.now() - t0) / 1000)} s: ${n} rows in the DOM`);
          }
          counted = performance.now();
        }
      }
      const reached = !!last && inView(last);
      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      const rows = list.querySelectorAll(rowSelector).length;
      return {
        ms: performance.now() - t0,
        at: t0,
        reached,
        clicks,
        rowsAtEnd: rows,
        maxRows: Math.max(maxRows, rows),
        loaded: list.querySelectorAll(rowSelector).length
      };
    },
    { listSelector, rowSelector, lastSelector, maxMs }
  );
}

/** The EOS panel: expand e://users/me/huge-folder/ and scroll to its last object. */
async function benchEos(browser, demo) {
  const { context, page, cdp } = await openLab(browser, demo.url, 'bench-eos');
  try {
    await showSidebarPanel(page, 'eos-browser');
    const folder = 'e://users/me/huge-folder/';
    const folderRow = `.jp-EosBrowser-tree [role="treeitem"][data-uri="${folder}"]`;
    await page.waitForSelector(folderRow, { timeout: 120000 });
    const heapBefore = await jsHeap(cdp);
    log('EOS: expanding', folder);
    const open = await clickUntilPainted(
      page,
      folderRow,
      `.jp-EosBrowser-tree [role="treeitem"][data-uri="${folder}${hugeName(0)}"]`,
      false
    );
    const rowsAtTop = await page.locator('.jp-EosBrowser-tree [role="treeitem"]').count();
    const heapOpen = await jsHeap(cdp);
    log(`EOS: first rows after ${open.ms.toFixed(0)} ms; scrolling to the end`);
    const scroll = await scrollToEnd(
      page,
      '.jp-EosBrowser-tree',
      '[role="treeitem"]',
      `.jp-EosBrowser-tree [data-uri="${folder}${hugeName(BIG - 1)}"]`,
      MAX_SCROLL_MS
    );
    const frames = await framesOf(page, open, scroll);
    const heapEnd = await jsHeap(cdp);
    log(`EOS: ${scroll.reached ? 'reached the end' : 'stopped'} after ${(scroll.ms / 1000).toFixed(1)} s`);
    return { open, rowsAtTop, scroll, frames, heapBefore, heapOpen, heapEnd };
  } finally {
    await context.close();
  }
}

/** JupyterLab's file browser: open the local folder and scroll to its last file. */
async function benchFileBrowser(browser, demo) {
  const { context, page, cdp } = await openLab(browser, demo.url, 'bench-files');
  try {
    await showSidebarPanel(page, 'filebrowser');
    // The row's tooltip starts "Name: <name>" and a line break (CSS escape \a).
    const item = name => `.jp-DirListing-content .jp-DirListing-item[title^="Name: ${name}\\a "]`;
    await page.waitForSelector(item(LOCAL_DIR), { timeout: 120000 });
    const heapBefore = await jsHeap(cdp);
    log('file browser: opening', LOCAL_DIR);
    const open = await clickUntilPainted(page, item(LOCAL_DIR), item(localName(0)), true);
    const rowsAtTop = await page.locator('.jp-DirListing-content .jp-DirListing-item').count();
    const heapOpen = await jsHeap(cdp);
    const scroll = await scrollToEnd(
      page,
      '.jp-DirListing-content',
      '.jp-DirListing-item',
      item(localName(LOCAL - 1)),
      MAX_SCROLL_MS
    );
    const frames = await framesOf(page, open, scroll);
    const heapEnd = await jsHeap(cdp);
    log(`file browser: first rows after ${open.ms.toFixed(0)} ms, end after ${(scroll.ms / 1000).toFixed(1)} s`);
    return { open, rowsAtTop, scroll, frames, heapBefore, heapOpen, heapEnd };
  } finally {
    await context.close();
  }
}

function machine(browserVersion) {
  const sh = (cmd, a) => {
    try {
      return execFileSync(cmd, a, { cwd: root, encoding: 'utf-8' }).trim();
    } catch {
      return '?';
    }
  };
  return {
    nproc: os.cpus().length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    load: os
      .loadavg()
      .map(v => v.toFixed(2))
      .join(' '),
    cpu: os.cpus()[0]?.model ?? '?',
    chromium: browserVersion,
    node: process.version,
    jupyterlab: sh(PYTHON, ['-c', 'import jupyterlab; print(jupyterlab.__version__)']),
    commit: sh('git', ['rev-parse', '--short', 'HEAD']) + (sh('git', ['status', '--porcelain']) ? ' (modified)' : '')
  };
}

const ms = v => (v === null || v === undefined ? 'n/a' : `${Math.round(v).toLocaleString('en-US')} ms`);
const mib = v => (v === null || v === undefined ? 'n/a' : `${(v / 2 ** 20).toFixed(1)} MiB`);
const int = v => Number(v).toLocaleString('en-US');

function report(command, date, m, demo, eos, files, loadAtStart) {
  const end = r =>
    r.scroll.reached ? ms(r.scroll.ms) : `not reached in ${ms(r.scroll.ms)} (${int(r.scroll.loaded)} rows loaded)`;
  const rows = [
    ['Time from the click to the first child rows painted', r => ms(r.open.ms)],
    ['DOM rows at the top (after the first page)', r => int(r.rowsAtTop)],
    ['Total time to scroll to the last entry', end],
    ['"Load more" clicks on the way', r => int(r.scroll.clicks)],
    ['DOM rows at the end', r => int(r.scroll.rowsAtEnd)],
    ['Most DOM rows at any time', r => int(r.scroll.maxRows)],
    ['Longest animation frame while the first rows load (LoAF)', r => ms(r.frames.loading.loaf)],
    ['Longest gap between frames while the first rows load (rAF)', r => ms(r.frames.loading.gap)],
    ['Longest animation frame while scrolling to the end (LoAF)', r => ms(r.frames.scrolling.loaf)],
    ['Longest gap between frames while scrolling to the end (rAF)', r => ms(r.frames.scrolling.gap)],
    ['JS heap before opening (after GC)', r => mib(r.heapBefore)],
    ['JS heap with the first page (after GC)', r => mib(r.heapOpen)],
    ['JS heap at the end (after GC)', r => mib(r.heapEnd)]
  ];
  const lines = [
    `# Tree benchmark, ${date}`,
    '',
    `Command: \`${command}\``,
    '',
    `Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memory} memory; Chromium ${m.chromium} (headless); ` +
      `Node ${m.node}; JupyterLab ${m.jupyterlab}; jupyterlab-eos commit ${m.commit}. ` +
      `Load average at the end: ${m.load} (${loadAtStart} at the start).`,
    '',
    `Demo: moto seeded with e://users/me/huge-folder/ (${int(BIG)} objects) in ` +
      `${demo.seedSeconds ?? '?'} s, JupyterLab serving after ${demo.startSeconds.toFixed(1)} s; ` +
      `${int(LOCAL)} local files in \`${LOCAL_DIR}/\` of the Jupyter root.`,
    '',
    `| Measure | EOS tree, ${int(BIG)} objects | JupyterLab file browser, ${int(LOCAL)} files |`,
    '| --- | ---: | ---: |',
    ...rows.map(([label, f]) => `| ${label} | ${f(eos)} | ${f(files)} |`),
    '',
    'How: each panel in a fresh page and workspace; the click is dispatched in the page and "painted" is ' +
      'the first child row in the DOM plus the next frame. Scrolling sets the scroll container to the ' +
      'bottom every frame and clicks a visible "Load more", until the last entry is in view. Long frames ' +
      'from PerformanceObserver("long-animation-frame") (0 ms: none over 50 ms) and requestAnimationFrame ' +
      'deltas; heap from CDP Performance.getMetrics (JSHeapUsedSize) after HeapProfiler.collectGarbage.',
    ''
  ];
  return lines.join('\n');
}

async function main() {
  const command = `node ${relative(root, fileURLToPath(import.meta.url))} ${process.argv.slice(2).join(' ')}`.trim();
  const date = new Date().toISOString().slice(0, 10);
  const loadAtStart = os
    .loadavg()
    .map(v => v.toFixed(2))
    .join(' ');
  log(`starting the demo with a ${int(BIG)}-object folder`);
  const demo = await startDemo();
  let browser = null;
  try {
    log(`demo at ${demo.url.replace(/token=\w+/, 'token=…')}, seeded in ${demo.seedSeconds} s`);
    const local = join(demo.root, LOCAL_DIR);
    mkdirSync(local, { recursive: true });
    for (let i = 0; i < LOCAL; i++) {
      writeFileSync(join(local, localName(i)), `file ${i}\n`);
    }
    if (!existsSync(join(local, localName(LOCAL - 1)))) {
      throw new Error('could not write the local files');
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: !args.headed,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    });
    const files = await benchFileBrowser(browser, demo);
    const eos = await benchEos(browser, demo);
    const text = report(command, date, machine(browser.version()), demo, eos, files, loadAtStart);
    mkdirSync(args.out, { recursive: true });
    const out = join(args.out, `tree-${date}.md`);
    writeFileSync(out, text);
    console.log(text);
    log(`written to ${relative(root, out)}`);
  } finally {
    await browser?.close();
    await stopDemo(demo);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
