/**
 * Galata (Playwright) configuration for the browser tests.
 *
 * The web server is the demo in Galata mode: moto seeded with the demo data
 * and JupyterLab with this extension on http://localhost:8888. The browser is
 * Debian's chromium (never a Playwright download).
 */
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const root = path.resolve(__dirname, '..');
// EOS_UI_PORT lets several checkouts run their browser tests at once.
const port = process.env.EOS_UI_PORT || '8888';
const python = process.env.EOS_PYTHON || path.join(root, '.venv', 'bin', 'python');

module.exports = {
  ...baseConfig,
  reporter: [['list'], ['html', { open: 'never', outputFolder: path.join(__dirname, 'playwright-report') }]],
  outputDir: path.join(__dirname, 'test-results'),
  workers: 1,
  retries: 0,
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.EOS_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  },
  webServer: {
    command: `${python} -m devtools.demo --galata`,
    cwd: root,
    url: `http://localhost:${port}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: !process.env.CI,
    // EOS_UI_HUGE=1 runs tests/eos-huge-folder.spec.ts: the demo then also seeds
    // e://users/me/huge-folder/ with 100,000 keys, or $EOS_DEMO_BIG_FOLDER (about
    // 4 s and 360 MB more for moto, and every listing of the bucket gets slower
    // (12 ms -> 240 ms), so not by default).
    env: {
      ...process.env,
      EOS_DEMO_BIG_FOLDER: process.env.EOS_DEMO_BIG_FOLDER || (process.env.EOS_UI_HUGE ? '100000' : '0'),
      // EOS_UI_DISK=1 runs tests/eos-disk.spec.ts: the service measures the root
      // in quota mode against 16 MB, walking it again every second.
      ...(process.env.EOS_UI_DISK && { EOS_DISK_MODE: 'quota', EOS_DISK_LIMIT: '16000000', EOS_DISK_REFRESH: '1' })
    },
    // SIGTERM lets the demo stop JupyterLab and the EOS service (the default is SIGKILL)
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30000 },
    // EOS_UI_DEBUG=1 shows the server's and the service's logs
    stdout: process.env.EOS_UI_DEBUG ? 'pipe' : 'ignore',
    stderr: process.env.EOS_UI_DEBUG ? 'pipe' : 'ignore'
  }
};
