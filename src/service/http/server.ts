/**
 * The HTTP service: routes, validation, security checks and error answers.
 *
 * `createService` returns a server that is not yet listening; `main` listens
 * on the unix socket, tests on a temporary one.
 */
import * as http from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { EosError } from '../../core';
import { ServiceConfig } from '../engine';
import { Engine, EngineOptions } from '../engine';
import { Journal, Rerun, journalFile, ledgerFileBeside } from '../engine';
import { abortUpload } from '../engine';
import { parseJsonBody, parseTarget, readBody, sendError, sendJson } from './http';
import { Input, Route, routeMap } from './routes';
import { createS3Client, endpointLabel } from '../engine';
import { checkRequest } from './security';
import { StreamReply, checkAcceptsEvents, openEventStream } from './sse';
import { EosStore } from '../engine';
import { diskMonitorOf } from '../engine';
import { advertise } from '../engine';

/** What `createService` may be given instead of its defaults. */
export interface ServiceOptions {
  /** The S3 client to use (default: one built from the configuration). */
  s3Client?: S3Client;
  /** Where the one-line-per-request log goes (default: standard error). */
  log?: (line: string) => void;
  /** Engine tuning (tests force the multipart copy path with a small threshold). */
  engine?: Partial<EngineOptions>;
  /** Called with the engine once built (tests reach its job registry directly). */
  onEngine?: (engine: Engine) => void;
  /** How often an event stream sends a keep-alive comment (default KEEP_ALIVE_MS). */
  keepAliveMs?: number;
}

/** The longest request path written to the log. */
const MAX_LOGGED_PATH = 200;

/**
 * Build the service for `config`. S3 routes answer `NotConfigured` when the
 * configuration has no user/organization context; `GET /` and the disk
 * route always work.
 */
export function createService(config: ServiceConfig, options: ServiceOptions = {}): http.Server {
  const ownClient = options.s3Client === undefined && config.context ? createS3Client(config) : undefined;
  const client = options.s3Client ?? ownClient;
  // Public buckets are read unsigned, on the configured endpoint (also with a client a test passed).
  const unsigned = () => createS3Client(config, { unsigned: true });
  const store = config.context && client ? new EosStore(client, config.context, endpointLabel(config), unsigned) : null;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const needStore = (): EosStore => {
    if (store === null) {
      throw new EosError('NotConfigured', config.contextProblem ?? 'EOS is not configured');
    }
    return store;
  };

  const disk = options.engine?.disk ?? diskMonitorOf(config, options.engine?.statfs);
  // With a state dir, interrupted transfers are kept for a retry in a ledger beside the journal.
  const resume =
    store && config.stateDir !== null
      ? { file: ledgerFileBeside(journalFile(config.stateDir, store.ctx, config.rootDir, config.endpoint)) }
      : undefined;
  const engine = store
    ? new Engine(store, {
        log,
        rootDir: config.rootDir,
        disk,
        resume,
        verifyChecksums: config.verifyChecksums,
        ...options.engine
      })
    : null;
  if (engine) {
    options.onEngine?.(engine);
  }
  const needEngine = (): Engine => {
    needStore();
    return engine!;
  };
  const routes = routeMap({ config, needStore, needEngine, disk });
  const journal = engine && config.stateDir !== null ? startJournal(engine, config, config.stateDir, log) : null;

  const server = http.createServer((req, res) => {
    void handle(routes, req, res, log, options.keepAliveMs);
  });
  // Listening on a socket: tell the `eos` command lines of this user where (see peers.ts).
  let unadvertise: (() => void) | null = null;
  server.on('listening', () => {
    const socket = server.address();
    if (typeof socket !== 'string' || !store || config.stateDir === null) {
      return;
    }
    const advert = { socket, pid: process.pid, rootDir: config.rootDir };
    advertise(config.stateDir, store.ctx, config.endpoint, advert).then(
      remove => (server.listening ? (unadvertise = remove) : remove()),
      err => log(`eos-service: cannot advertise the socket for the eos command: ${(err as Error).message}`)
    );
  });
  server.on('close', () => {
    unadvertise?.();
    // Journaled first: jobs the service stops are `interrupted` at the next start, not cancelled.
    journal?.close();
    engine?.jobs.cancelAll();
    void engine?.close();
    disk.close();
    ownClient?.destroy();
    store?.destroy();
  });
  return server;
}

/** Restore the journaled jobs of this service's identity and keep the journal from now on. */
function startJournal(engine: Engine, config: ServiceConfig, stateDir: string, log: (line: string) => void): Journal {
  const { store } = engine;
  // `Engine.rerun` runs a journaled request again, once the engine has it.
  const rerun = (engine as { rerun?: Rerun }).rerun;
  const journal = new Journal(engine.jobs, {
    file: journalFile(stateDir, store.ctx, config.rootDir, config.endpoint),
    abortUpload: upload => abortUpload(store, upload),
    keeps: upload => engine.ledger?.holds(upload) ?? false,
    keepsFile: file => engine.ledger?.holdsFile(file) ?? false,
    rerun: typeof rerun === 'function' ? rerun.bind(engine) : undefined,
    log
  });
  void journal.start();
  return journal;
}

/** Answer one request, logging method, path (never the query), status and time. */
async function handle(
  routes: Map<string, Route>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  log: (line: string) => void,
  keepAliveMs?: number
): Promise<void> {
  const started = performance.now();
  const target = parseTarget(req.url);
  // Aborted when the client goes away before its answer: in-flight S3 calls stop.
  const gone = new AbortController();
  res.once('close', () => {
    const ms = Math.round(performance.now() - started);
    const status = res.writableFinished ? String(res.statusCode) : 'aborted';
    if (!res.writableFinished) {
      gone.abort(new EosError('Upstream', 'The client closed the connection'));
    }
    log(`eos-service: ${req.method} ${loggable(target.path)} ${status} ${ms}ms`);
  });
  const route = routes.get(target.path);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (method === 'PUT' && route?.PUT) {
    await handleRaw(route.PUT, target.query, req, res, gone.signal, log);
    return;
  }
  try {
    const raw = await readBody(req, route?.maxBody);
    checkRequest(req);
    if (route === undefined) {
      throw new EosError('NotFound', `No such route: ${loggable(target.path)}`);
    }
    const handler = method === 'GET' || method === 'POST' ? route[method] : undefined;
    if (handler === undefined) {
      const allow = (['GET', 'POST', 'PUT'] as const).filter(m => route[m]).join(', ');
      sendError(res, new EosError('MethodNotAllowed', `${req.method} is not allowed on ${target.path}; use ${allow}`), {
        Allow: allow
      });
      return;
    }
    const body = method === 'POST' ? parseJsonBody(req, raw, route?.maxBody) : undefined;
    const answer = await handler({ query: target.query, body, signal: gone.signal });
    if (answer instanceof StreamReply) {
      checkAcceptsEvents(req);
      openEventStream(res, answer, keepAliveMs);
    } else {
      sendJson(res, 200, answer);
    }
  } catch (err) {
    fail(res, err, log);
  }
}

/**
 * Answer a raw (PUT) route: the handler streams the body itself. Whatever it
 * leaves unread is drained before an error is answered (the proxy must finish
 * writing the body, or our answer becomes its 500).
 */
async function handleRaw(
  handler: (input: Input) => Promise<unknown>,
  query: URLSearchParams,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  signal: AbortSignal,
  log: (line: string) => void
): Promise<void> {
  try {
    checkRequest(req);
    sendJson(res, 200, await handler({ query, body: undefined, signal, request: req }));
  } catch (err) {
    await drain(req);
    fail(res, err, log);
  }
}

/** Read and discard what is left of a request body. */
function drain(req: http.IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

/** Answer an error; anything that is not an `EosError` is a bug, logged with its stack. */
function fail(res: http.ServerResponse, err: unknown, log: (line: string) => void): void {
  if (res.destroyed) {
    return; // the client has gone: nobody to answer
  }
  let error: EosError;
  if (err instanceof EosError) {
    error = err;
  } else {
    log(`eos-service: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    error = new EosError('Internal', 'Internal error in the EOS service; see the Jupyter server log');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, error);
}

/** A request path safe to log: printable and short. */
function loggable(path: string): string {
  const clean = path.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > MAX_LOGGED_PATH ? `${clean.slice(0, MAX_LOGGED_PATH)}...` : clean;
}
