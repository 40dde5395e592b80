/**
 * Bundle an entry point of the service as the package does
 * (scripts/build-service.mjs), for tests that run the bundles themselves.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The repository's root. */
export const REPO = path.resolve(__dirname, '..', '..', '..');

/** The service's entry, the command line's and the download threads'. */
export const ENTRIES = {
  service: path.join(REPO, 'src', 'service', 'http', 'main.ts'),
  cli: path.join(REPO, 'src', 'service', 'cli', 'main.ts'),
  getWorker: path.join(REPO, 'src', 'service', 'engine', 'transfer', 'thread.ts')
};

/** Bundle `entry` into `outfile` (unminified when asked, for readable stacks); answers `outfile`. */
export function buildBundle(outfile: string, entry: string = ENTRIES.service, minify = true): string {
  const args = [path.join(REPO, 'scripts', 'build-service.mjs'), '--entry', entry, '--outfile', outfile];
  execFileSync(process.execPath, minify ? args : [...args, '--no-minify'], { cwd: REPO, stdio: 'pipe' });
  return outfile;
}
