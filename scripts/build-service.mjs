// Bundle the Node service (src/service/http/main.ts) into one CommonJS file that
// the Python package ships and jupyter-server-proxy launches:
//
//   node scripts/build-service.mjs [--outfile PATH] [--no-minify] [--entry PATH]
//
// Default output: jupyterlab_eos/service/eos-service.cjs (+ its licenses file).
// `npm run build:cli` bundles the `eos` command line (src/service/cli/main.ts)
// the same way into jupyterlab_eos/service/eos-cli.cjs, and `npm run build:worker`
// the download threads (src/service/engine/transfer/thread.ts) into eos-get-worker.cjs.
// `--entry` bundles another entry point the same way (the transfers benchmark's).
import { build } from 'esbuild';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    outfile: { type: 'string', default: join(root, 'jupyterlab_eos', 'service', 'eos-service.cjs') },
    'no-minify': { type: 'boolean', default: false },
    entry: { type: 'string', default: join(root, 'src', 'service', 'http', 'main.ts') }
  }
});

const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const outfile = resolve(values.outfile);
const started = Date.now();

await build({
  entryPoints: [resolve(values.entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Prefer the SDK's Node builds over its browser ones.
  mainFields: ['main', 'module'],
  // hash-wasm's main build holds every algorithm's WebAssembly (220 KB); its ES module build lets
  // the bundle keep only the CRCs it uses (s3/crc.ts).
  alias: { 'hash-wasm': 'hash-wasm/dist/index.esm.js' },
  conditions: ['node', 'require'],
  minify: !values['no-minify'],
  keepNames: true,
  legalComments: 'external',
  sourcemap: false,
  define: { __EOS_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: `/* jupyterlab-eos service ${pkg.version}; licenses of bundled packages: ${basename(outfile)}.LEGAL.txt */`
  },
  logLevel: 'warning'
});

const { size } = await stat(outfile);
console.log(`built ${outfile} (${(size / 1024).toFixed(0)} KiB, version ${pkg.version}) in ${Date.now() - started} ms`);
