/**
 * The HTTP front door: one handler per route of `src/core/api.ts`, each typed
 * to answer that route's response. Handlers validate, then call the store or
 * the engine; they hold no S3 logic.
 */
import type * as http from 'node:http';
import {
  ApiRoutes,
  CHANGED_ROUTE,
  EosError,
  EVENTS_ROUTE,
  MAX_JOB_WAIT_MS,
  MAX_LIST_LIMIT,
  MAX_OPEN_LIMIT,
  MAX_UPLOADS_BODY,
  RouteMethod,
  RouteName,
  RouteResponse,
  Routes,
  SYNC_PLAN_LIMIT
} from '../../core';
import { ServiceConfig } from '../engine';
import { DiskMonitor } from '../engine';
import { Engine, readHead, resolveLocal } from '../engine';
import { presign } from '../engine';
import {
  AnswerJobBody,
  CancelJobBody,
  ClearJobsBody,
  CreateUploadsBody,
  CopyBody,
  CountBody,
  DeleteBody,
  JobQuery,
  ListQuery,
  MkdirBody,
  NoQuery,
  PresignBody,
  RetryJobBody,
  StatQuery,
  SyncBody,
  TransferBody,
  UploadIdBody,
  UploadPartQuery,
  ContentQuery,
  SaveQuery,
  HeadQuery,
  CheckpointsQuery,
  CheckpointBody,
  validate,
  validateQuery,
  // Disk gauge (issue 7)
  DiskQuery,
  DiskLargestQuery,
  LocalDeleteBody,
  OffloadBody,
  ImportBody,
  LocationsBody
} from './schemas';
import { serviceEvents, takeChanges } from './events';
import { EosStore } from '../engine';
import { SERVICE_NAME, VERSION } from '../engine';
import { checkSave, megabytes, readContent, saveContent } from '../engine';
import { readBody } from './http';
import { Bound, IN_MEMORY, JOB, bounded } from './bounds';

export type { Bound } from './bounds';

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

/** Every route of the API with its method, handler, and what bounds its answer. */
export type RouteTable = { [R in RouteName]: { method: RouteMethod<R>; handle: Handler<R>; bound: Bound } };

/** A path's handlers by method, as the server dispatches them. */
export type Route = {
  GET?: (input: Input) => Promise<unknown>;
  POST?: (input: Input) => Promise<unknown>;
  PUT?: (input: Input) => Promise<unknown>;
  /** The largest JSON body this path takes (default MAX_BODY_BYTES). */
  maxBody?: number;
  /** How its answer stays within the proxy's timeout (each path has one method). */
  bound: Bound;
};

/** What the routes are built from. */
export interface RouteDeps {
  config: ServiceConfig;
  /** The store, or `NotConfigured`. */
  needStore: () => EosStore;
  /** The engine, or `NotConfigured`. */
  needEngine: () => Engine;
  /** The root's disk (works without EOS ids). */
  disk: DiskMonitor;
}

/** A request's Content-Length, or undefined when it has none (a chunked body). */
function contentLength(request: http.IncomingMessage): number | undefined {
  const text = request.headers['content-length'];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The handlers of routes `K` (a group of the route table). */
type RouteGroup<K extends RouteName> = Pick<RouteTable, K>;

/** Browsing: who the user is, a folder level, one entry, a presigned URL, the S3 locations outside EOS. */
function browseRoutes({
  needStore
}: RouteDeps): RouteGroup<'api/whoami' | 'api/list' | 'api/stat' | 'api/presign' | 'api/locations'> {
  return {
    'api/locations': {
      method: 'POST',
      bound: IN_MEMORY,
      handle: async ({ body }) => {
        const store = needStore();
        store.locations.set(validate(LocationsBody, body).locations);
        return { locations: store.locations.all };
      }
    },
    'api/whoami': {
      method: 'GET',
      bound: IN_MEMORY,
      handle: async ({ query }) => {
        validateQuery(NoQuery, query);
        return needStore().whoami(VERSION);
      }
    },
    'api/list': {
      method: 'GET',
      bound: bounded('one page: one ListObjectsV2 call of at most MAX_LIST_LIMIT (1,000) entries'),
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
      bound: bounded('one HEAD, and for a folder one list page of one key'),
      handle: async ({ query, signal }) => needStore().stat(validateQuery(StatQuery, query).uri, signal)
    },
    'api/presign': {
      method: 'POST',
      bound: bounded('a signature computed locally (no S3 call)'),
      handle: async ({ body }) => {
        const b = validate(PresignBody, body);
        return presign(needStore(), b.uri, b.expiresIn, b.download === true);
      }
    }
  };
}

/** Operations on EOS: mkdir, count, delete, copy and move. */
function operationRoutes({ needEngine }: RouteDeps): RouteGroup<'api/mkdir' | 'api/count' | 'api/delete' | 'api/copy'> {
  return {
    'api/mkdir': {
      method: 'POST',
      bound: bounded('one HEAD and one PUT of a zero-byte marker'),
      handle: async ({ body, signal }) => needEngine().mkdir(validate(MkdirBody, body).uri, signal)
    },
    'api/count': {
      method: 'POST',
      bound: bounded(
        'at most COUNT_LIMIT (10,000) objects: 10 list pages; beyond, `more` says the figures are a floor'
      ),
      handle: async ({ body, signal }) => needEngine().count(validate(CountBody, body).uris, signal)
    },
    'api/delete': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body, signal }) => needEngine().delete(validate(DeleteBody, body), signal)
    },
    'api/copy': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body, signal }) => needEngine().copy(validate(CopyBody, body), signal)
    }
  };
}

/** Jobs: one job (long-polled), the list, cancel, answer a question, retry, clear. */
function jobRoutes({
  needEngine
}: RouteDeps): RouteGroup<
  'api/job' | 'api/job/cancel' | 'api/jobs' | 'api/job/answer' | 'api/job/retry' | 'api/jobs/clear'
> {
  return {
    'api/job': {
      method: 'GET',
      bound: bounded('a wait of at most MAX_JOB_WAIT_MS (30 s)'),
      handle: async ({ query, signal }) => {
        const q = validateQuery(JobQuery, query);
        return needEngine().jobs.wait(q.id, Math.min(q.wait ?? 0, MAX_JOB_WAIT_MS), signal);
      }
    },
    'api/job/cancel': {
      method: 'POST',
      bound: bounded('a wait of at most CANCEL_SETTLE_MS (5 s) for the job to stop'),
      handle: async ({ body }) => needEngine().jobs.cancel(validate(CancelJobBody, body).id)
    },
    'api/jobs': {
      method: 'GET',
      bound: IN_MEMORY,
      handle: async ({ query }) => {
        validateQuery(NoQuery, query);
        return { jobs: needEngine().jobs.list() };
      }
    },
    'api/job/answer': {
      method: 'POST',
      bound: IN_MEMORY,
      handle: async ({ body }) => {
        const b = validate(AnswerJobBody, body);
        return needEngine().jobs.answer(b.id, b.question, b.choice, b.applyToAll);
      }
    },
    'api/job/retry': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body }) => needEngine().jobs.retry(validate(RetryJobBody, body).id)
    },
    'api/jobs/clear': {
      method: 'POST',
      bound: IN_MEMORY,
      handle: async ({ body }) => ({ jobs: needEngine().jobs.clear(validate(ClearJobsBody, body).ids) })
    }
  };
}

/** Transfers between the server's disk and EOS, sync, and imports from URLs. */
function transferRoutes({
  needEngine
}: RouteDeps): RouteGroup<'api/transfer' | 'api/sync/plan' | 'api/sync' | 'api/import'> {
  return {
    'api/transfer': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body, signal }) => needEngine().transfer(validate(TransferBody, body), signal)
    },
    'api/sync/plan': {
      method: 'POST',
      bound: bounded(
        'at most SYNC_PLAN_LIMIT (20,000) files listed on each side (and at most as many HEADs, 16 in flight); beyond, refused as too large to preview'
      ),
      handle: async ({ body, signal }) => needEngine().syncPlan(validate(SyncBody, body), signal, SYNC_PLAN_LIMIT)
    },
    'api/sync': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body, signal }) => needEngine().sync(validate(SyncBody, body), signal)
    },
    'api/import': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body }) => needEngine().importUrls(validate(ImportBody, body))
    }
  };
}

/** Uploads from the user's computer: create, one part (a raw PUT body), complete, abort. */
function uploadRoutes({
  needEngine
}: RouteDeps): RouteGroup<'api/uploads' | 'api/uploads/part' | 'api/uploads/complete' | 'api/uploads/abort'> {
  return {
    'api/uploads': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body, signal }) => needEngine().uploads.create(validate(CreateUploadsBody, body), signal)
    },
    'api/uploads/part': {
      method: 'PUT',
      bound: bounded('one part: a body of at most MAX_UPLOAD_PART (64 MiB), sent as one UploadPart'),
      handle: async ({ query, request, signal }) => {
        const q = validateQuery(UploadPartQuery, query);
        return needEngine().uploads.part(q.id, q.n, request!, contentLength(request!), signal);
      }
    },
    'api/uploads/complete': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body }) => needEngine().uploads.complete(validate(UploadIdBody, body).id)
    },
    'api/uploads/abort': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body }) => needEngine().uploads.abort(validate(UploadIdBody, body).id)
    }
  };
}

/** Opening files and peeking (issue 8): content, save, head, checkpoints. */
function openRoutes({
  needStore,
  needEngine
}: RouteDeps): RouteGroup<
  'api/content' | 'api/content/save' | 'api/head' | 'api/checkpoints' | 'api/checkpoints/change'
> {
  return {
    'api/content': {
      method: 'GET',
      bound: bounded("at most MAX_OPEN_LIMIT (64 MB) read, or the request's smaller `limit`"),
      handle: async ({ query, signal }) => {
        const q = validateQuery(ContentQuery, query);
        return readContent(needStore(), q.uri, { format: q.format, limit: q.limit, content: q.content, signal });
      }
    },
    'api/content/save': {
      method: 'PUT',
      bound: bounded('a body of at most MAX_OPEN_LIMIT bytes, one PUT'),
      handle: async ({ query, request, signal }) => {
        const q = validateQuery(SaveQuery, query);
        const store = needStore();
        // Refusals that need no S3 (read-only, roots) come before the body is read.
        checkSave(store, q.uri);
        const bytes = await readBody(request!, MAX_OPEN_LIMIT);
        if (bytes === null) {
          throw new EosError(
            'PayloadTooLarge',
            `Files above ${megabytes(MAX_OPEN_LIMIT)} are not saved from the editor`
          );
        }
        return saveContent(store, q.uri, bytes, q.etag, signal);
      }
    },
    'api/head': {
      method: 'GET',
      bound: bounded('the first lines of an object: at most MAX_HEAD_DECODED_BYTES (8 MiB) decoded'),
      handle: async ({ query, signal }) => {
        const q = validateQuery(HeadQuery, query);
        return readHead(needStore(), q.uri, { lines: q.lines, header: q.header, signal });
      }
    },
    'api/checkpoints': {
      method: 'GET',
      bound: IN_MEMORY,
      handle: async ({ query }) => needEngine().checkpoints.list(validateQuery(CheckpointsQuery, query).uri)
    },
    'api/checkpoints/change': {
      method: 'POST',
      bound: bounded('one read (create) or write (restore) of at most MAX_OPEN_LIMIT (64 MB), kept in memory'),
      handle: async ({ body, signal }) => {
        const b = validate(CheckpointBody, body);
        const checkpoints = needEngine().checkpoints;
        if (b.action === 'create') {
          return checkpoints.create(b.uri, signal);
        }
        return b.action === 'restore' ? checkpoints.restore(b.uri, b.id, signal) : checkpoints.delete(b.uri);
      }
    }
  };
}

/** The disk gauge (issue 7): usage, the largest entries, Move to EOS, local deletes. */
function diskRoutes({
  config,
  needEngine,
  disk
}: RouteDeps): RouteGroup<'api/disk' | 'api/disk/largest' | 'api/disk/offload' | 'api/disk/delete'> {
  return {
    'api/disk': {
      method: 'GET',
      bound: bounded('one statfs, or the figures of the background walk (never waited for)'),
      handle: async ({ query }) => disk.usage(validateQuery(DiskQuery, query).mode)
    },
    'api/disk/largest': {
      method: 'GET',
      bound: bounded("a page of the background walk's figures (never waited for)"),
      handle: async ({ query }) => {
        const q = validateQuery(DiskLargestQuery, query);
        if (q.under !== undefined) {
          // A folder outside the root is in no walk: say so rather than answer an empty page.
          await resolveLocal(config.rootDir, q.under);
        }
        return disk.largest(q.offset, q.limit, q.under);
      }
    },
    'api/disk/offload': {
      method: 'POST',
      bound: JOB,
      handle: async ({ body, signal }) => needEngine().offload(validate(OffloadBody, body), signal)
    },
    'api/disk/delete': {
      method: 'POST',
      bound: bounded('the removal of the local items named (a body of at most 64 KiB)'),
      handle: async ({ body }) => needEngine().deleteLocal(validate(LocalDeleteBody, body))
    }
  };
}

/** The route table, typed by `ApiRoutes`: every route, from its group. */
export function routeTable(deps: RouteDeps): RouteTable {
  return {
    ...browseRoutes(deps),
    ...operationRoutes(deps),
    ...jobRoutes(deps),
    ...transferRoutes(deps),
    ...uploadRoutes(deps),
    ...openRoutes(deps),
    ...diskRoutes(deps)
  };
}

/** The server's dispatch map: `/` plus every route of the table, by path and method. */
export function routeMap(deps: RouteDeps): Map<string, Route> {
  const table = routeTable(deps);
  const routes = new Map<string, Route>([
    ['/', { GET: async () => ({ service: SERVICE_NAME, version: VERSION }), bound: IN_MEMORY }]
  ]);
  for (const name of Object.values(Routes)) {
    const { method, handle, bound } = table[name] as {
      method: ApiRoutes[RouteName]['method'];
      handle: (input: Input) => Promise<unknown>;
      bound: Bound;
    };
    routes.set(`/${name}`, { [method]: handle, bound });
  }
  routes.get(`/${Routes.uploads}`)!.maxBody = MAX_UPLOADS_BODY;
  routes.set(`/${EVENTS_ROUTE}`, {
    GET: async ({ query }) => {
      validateQuery(NoQuery, query);
      return serviceEvents(deps.needEngine());
    },
    bound: { answers: 'stream' }
  });
  routes.set(`/${CHANGED_ROUTE}`, {
    POST: async ({ body }) => takeChanges(deps.needEngine(), body),
    maxBody: MAX_UPLOADS_BODY,
    bound: IN_MEMORY
  });
  return routes;
}
