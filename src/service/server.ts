/**
 * The HTTP service: routes, validation, security checks and error answers.
 *
 * `createService` returns a server that is not yet listening; `main` listens
 * on the unix socket, tests on a temporary one.
 */
import * as http from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { EosError, MAX_LIST_LIMIT, Routes } from '../core';
import { ServiceConfig } from './config';
import { diskUsage } from './disk';
import { parseJsonBody, parseTarget, queryObject, readBody, sendError, sendJson } from './http';
import { presign } from './presign';
import { createS3Client, endpointLabel } from './s3client';
import { ListQuery, PresignBody, StatQuery, validate } from './schemas';
import { checkRequest } from './security';
import { EosStore } from './store';
import { SERVICE_NAME, VERSION } from './version';

/** What `createService` may be given instead of its defaults. */
export interface ServiceOptions {
  /** The S3 client to use (default: one built from the configuration). */
  s3Client?: S3Client;
  /** Where the one-line-per-request log goes (default: standard error). */
  log?: (line: string) => void;
}

/** What a route handler gets: the query parameters and the parsed JSON body. */
interface Input {
  query: Record<string, string>;
  body: unknown;
}

type Handler = (input: Input) => Promise<unknown>;
type Route = { GET?: Handler; POST?: Handler };

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
  const store = config.context && client ? new EosStore(client, config.context, endpointLabel(config)) : null;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const needStore = (): EosStore => {
    if (store === null) {
      throw new EosError('NotConfigured', config.contextProblem ?? 'EOS is not configured');
    }
    return store;
  };

  const routes = new Map<string, Route>([
    ['/', { GET: async () => ({ service: SERVICE_NAME, version: VERSION }) }],
    [`/${Routes.whoami}`, { GET: async () => needStore().whoami(VERSION) }],
    [
      `/${Routes.list}`,
      {
        GET: async ({ query }) => {
          const q = validate(ListQuery, query);
          return needStore().list(q.uri, { cursor: q.cursor, limit: q.limit ?? MAX_LIST_LIMIT });
        }
      }
    ],
    [`/${Routes.stat}`, { GET: async ({ query }) => needStore().stat(validate(StatQuery, query).uri) }],
    [
      `/${Routes.presign}`,
      {
        POST: async ({ body }) => {
          const b = validate(PresignBody, body);
          return presign(needStore(), b.uri, b.expiresIn);
        }
      }
    ],
    [`/${Routes.disk}`, { GET: async () => diskUsage(config.rootDir, config.diskLimit) }]
  ]);

  const server = http.createServer((req, res) => {
    void handle(routes, req, res, log);
  });
  server.on('close', () => ownClient?.destroy());
  return server;
}

/** Answer one request, logging method, path (never the query), status and time. */
async function handle(
  routes: Map<string, Route>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  log: (line: string) => void
): Promise<void> {
  const started = performance.now();
  const target = parseTarget(req.url);
  res.once('close', () => {
    const ms = Math.round(performance.now() - started);
    const status = res.writableFinished ? String(res.statusCode) : 'aborted';
    log(`eos-service: ${req.method} ${loggable(target.path)} ${status} ${ms}ms`);
  });
  try {
    const raw = await readBody(req);
    checkRequest(req);
    const route = routes.get(target.path);
    if (route === undefined) {
      throw new EosError('NotFound', `No such route: ${loggable(target.path)}`);
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const handler = method === 'GET' || method === 'POST' ? route[method] : undefined;
    if (handler === undefined) {
      const allow = Object.keys(route).join(', ');
      sendError(res, new EosError('MethodNotAllowed', `${req.method} is not allowed on ${target.path}; use ${allow}`), {
        Allow: allow
      });
      return;
    }
    const query = queryObject(target.query);
    const body = method === 'POST' ? parseJsonBody(req, raw) : undefined;
    sendJson(res, 200, await handler({ query, body }));
  } catch (err) {
    fail(res, err, log);
  }
}

/** Answer an error; anything that is not an `EosError` is a bug, logged with its stack. */
function fail(res: http.ServerResponse, err: unknown, log: (line: string) => void): void {
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
