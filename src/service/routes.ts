/**
 * The HTTP front door: one handler per route of `src/core/api.ts`, each typed
 * to answer that route's response. Handlers validate, then call the store or
 * the engine; they hold no S3 logic.
 */
import type * as http from 'node:http';
import {
  ApiRoutes,
  EosError,
  MAX_JOB_WAIT_MS,
  MAX_LIST_LIMIT,
  RouteMethod,
  RouteName,
  RouteResponse,
  Routes
} from '../core';
import { ServiceConfig } from './config';
import { diskUsage } from './disk';
import { Engine } from './engine';
import { presign } from './presign';
import {
  CancelJobBody,
  CopyBody,
  CountBody,
  DeleteBody,
  JobQuery,
  ListQuery,
  MkdirBody,
  NoQuery,
  PresignBody,
  StatQuery,
  TransferBody,
  validate,
  validateQuery
} from './schemas';
import { EosStore } from './store';
import { SERVICE_NAME, VERSION } from './version';

/**
 * What a handler gets: the raw query, the parsed JSON body (POST), the
 * request itself to stream a raw body from (PUT), and a signal fired when
 * the client goes away.
 */
export interface Input {
  query: URLSearchParams;
  body: unknown;
  signal: AbortSignal;
  /** The request, unread: only raw (PUT) routes read it. */
  request?: http.IncomingMessage;
}

/** A handler of route `R`: it must answer that route's response type. */
export type Handler<R extends RouteName> = (input: Input) => Promise<RouteResponse<R>>;

/** Every route of the API with its method and handler. */
export type RouteTable = { [R in RouteName]: { method: RouteMethod<R>; handle: Handler<R> } };

/** A path's handlers by method, as the server dispatches them. */
export type Route = {
  GET?: (input: Input) => Promise<unknown>;
  POST?: (input: Input) => Promise<unknown>;
  PUT?: (input: Input) => Promise<unknown>;
};

/** What the routes are built from. */
export interface RouteDeps {
  config: ServiceConfig;
  /** The store, or `NotConfigured`. */
  needStore: () => EosStore;
  /** The engine, or `NotConfigured`. */
  needEngine: () => Engine;
}

/** A route whose step has not landed yet. */
async function notYet(): Promise<never> {
  throw new EosError('Internal', 'This route is not available in this version of the EOS service');
}

/** The route table, typed by `ApiRoutes`. */
export function routeTable(deps: RouteDeps): RouteTable {
  const { config, needStore, needEngine } = deps;
  return {
    'api/whoami': {
      method: 'GET',
      handle: async ({ query }) => {
        validateQuery(NoQuery, query);
        return needStore().whoami(VERSION);
      }
    },
    'api/list': {
      method: 'GET',
      handle: async ({ query, signal }) => {
        const q = validateQuery(ListQuery, query);
        return needStore().list(q.uri, {
          cursor: q.cursor,
          limit: q.limit ?? MAX_LIST_LIMIT,
          prefix: q.prefix,
          signal
        });
      }
    },
    'api/stat': {
      method: 'GET',
      handle: async ({ query, signal }) => needStore().stat(validateQuery(StatQuery, query).uri, signal)
    },
    'api/presign': {
      method: 'POST',
      handle: async ({ body }) => {
        const b = validate(PresignBody, body);
        return presign(needStore(), b.uri, b.expiresIn);
      }
    },
    'api/disk': {
      method: 'GET',
      handle: async ({ query }) => {
        validateQuery(NoQuery, query);
        return diskUsage(config.rootDir, config.diskLimit);
      }
    },
    'api/mkdir': {
      method: 'POST',
      handle: async ({ body, signal }) => needEngine().mkdir(validate(MkdirBody, body).uri, signal)
    },
    'api/count': {
      method: 'POST',
      handle: async ({ body, signal }) => needEngine().count(validate(CountBody, body).uris, signal)
    },
    'api/delete': {
      method: 'POST',
      handle: async ({ body, signal }) => needEngine().delete(validate(DeleteBody, body), signal)
    },
    'api/copy': {
      method: 'POST',
      handle: async ({ body, signal }) => needEngine().copy(validate(CopyBody, body), signal)
    },
    'api/job': {
      method: 'GET',
      handle: async ({ query, signal }) => {
        const q = validateQuery(JobQuery, query);
        return needEngine().jobs.wait(q.id, Math.min(q.wait ?? 0, MAX_JOB_WAIT_MS), signal);
      }
    },
    'api/job/cancel': {
      method: 'POST',
      handle: async ({ body }) => needEngine().jobs.cancel(validate(CancelJobBody, body).id)
    },
    // Issue 6, landing in steps: each route below answers `Internal` until its step lands.
    'api/jobs': { method: 'GET', handle: notYet },
    'api/job/answer': { method: 'POST', handle: notYet },
    'api/job/retry': { method: 'POST', handle: notYet },
    'api/jobs/clear': { method: 'POST', handle: notYet },
    'api/transfer': {
      method: 'POST',
      handle: async ({ body, signal }) => needEngine().transfer(validate(TransferBody, body), signal)
    },
    'api/sync/plan': { method: 'POST', handle: notYet },
    'api/sync': { method: 'POST', handle: notYet },
    'api/uploads': { method: 'POST', handle: notYet },
    'api/uploads/part': { method: 'PUT', handle: notYet },
    'api/uploads/complete': { method: 'POST', handle: notYet },
    'api/uploads/abort': { method: 'POST', handle: notYet }
  };
}

/** The server's dispatch map: `/` plus every route of the table, by path and method. */
export function routeMap(deps: RouteDeps): Map<string, Route> {
  const table = routeTable(deps);
  const routes = new Map<string, Route>([['/', { GET: async () => ({ service: SERVICE_NAME, version: VERSION }) }]]);
  for (const name of Object.values(Routes)) {
    const { method, handle } = table[name] as {
      method: ApiRoutes[RouteName]['method'];
      handle: (input: Input) => Promise<unknown>;
    };
    routes.set(`/${name}`, { ...routes.get(`/${name}`), [method]: handle });
  }
  return routes;
}
