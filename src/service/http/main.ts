/**
 * Entry point: `node eos-service.cjs --socket <path>`.
 *
 * Listens only on the given unix socket (mode 0600), for jupyter-server-proxy.
 * Exit codes: 0 on SIGTERM/SIGINT or when the parent process goes away (the
 * proxy does not restart a process that exits 0); 2 for a bad command line or
 * configuration; 1 for any other fatal error (the proxy restarts it).
 */
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import { ConfigError, ServiceConfig, loadConfig, parseArgs } from '../engine';
import { GET_WORKER_BUNDLE, downloadSetup } from '../engine';
import { endpointLabel } from '../engine';
import { createService } from './server';
import { VERSION } from '../engine';

/** How often to check that the parent process is still there. */
export const PARENT_POLL_MS = 2000;

/** Remove a socket file a previous run left behind; refuse to remove anything else. */
async function removeStaleSocket(socket: string): Promise<void> {
  let stat;
  try {
    stat = await fsp.lstat(socket);
  } catch {
    return;
  }
  if (!stat.isSocket()) {
    throw new ConfigError(`eos-service: ${socket} exists and is not a socket; refusing to replace it`);
  }
  await fsp.unlink(socket);
}

/** Listen on `socket`, readable and writable by this user only. */
async function listen(server: http.Server, socket: string): Promise<void> {
  await removeStaleSocket(socket);
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(previous);
  }
  await fsp.chmod(socket, 0o600);
}

/** Close the server and exit with `code`, at most a few seconds later. */
function shutdown(server: http.Server, code: number): void {
  setTimeout(() => process.exit(code), 3000).unref();
  server.close(() => process.exit(code));
  server.closeAllConnections();
}

function describe(config: ServiceConfig, socket: string, downloads: ReturnType<typeof downloadSetup>): string {
  const who = config.context
    ? `user ${config.context.userId}, org bucket ${config.context.orgBucket}`
    : `not configured (${config.contextProblem})`;
  const threads = downloads.downloadThreads?.threads;
  const getters =
    (threads
      ? `${threads} transfer threads`
      : `transfers on the main thread (${config.transfers?.threads === 0 ? 'EOS_TRANSFER_THREADS=0' : `no ${GET_WORKER_BUNDLE}`})`) +
    `, ${inFlight(downloads)}, ${downloads.rangesInFlight} ranges and ${downloads.partsInFlight} parts in flight`;
  return `eos-service ${VERSION} listening on ${socket}: ${who}; S3 ${endpointLabel(config)}; root ${config.rootDir}; ${getters}`;
}

/** Files in flight as the start line says them: fixed, or the range a download raises them in. */
function inFlight({ filesInFlight: start, maxFilesInFlight: max }: ReturnType<typeof downloadSetup>): string {
  return max > start ? `${start} to ${max} files (raised while the rate grows)` : `${start} files`;
}

async function main(): Promise<void> {
  // The SDK version is pinned on purpose; its Node-version notice is noise in the Jupyter log.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const downloads = downloadSetup(__dirname, config.transfers);
  const server = createService(config, { engine: downloads });
  await listen(server, args.socket);
  server.on('error', err => {
    process.stderr.write(`eos-service: fatal server error: ${err.message}\n`);
    process.exit(1);
  });
  process.stderr.write(`${describe(config, args.socket, downloads)}\n`);

  process.once('SIGTERM', () => shutdown(server, 0));
  process.once('SIGINT', () => shutdown(server, 0));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      process.stderr.write('eos-service: the parent process has gone away; exiting\n');
      shutdown(server, 0);
    }
  }, PARENT_POLL_MS).unref();
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(err.exitCode);
  }
  process.stderr.write(`eos-service: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
