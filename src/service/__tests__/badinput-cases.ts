/**
 * Bad input for every route of the service (issue 16): which fields of each
 * route hold e:// URIs, local paths, write targets and job ids, from which
 * `badinput.spec.ts` builds the cases. Every route the server dispatches must
 * have an entry here (the spec checks it against `routeMap`), so a new route
 * cannot skip the bad-input tests.
 */
import { DiskMonitor } from '../engine';
import { routeMap } from '../http/routes';
import { S3, testConfig } from './harness';

/** A request's fields, by dotted path (`files.0.destination`). */
export type Fields = Record<string, unknown>;

/** One valid request of a route, and what its fields hold. */
export interface Shape {
  /** The JSON body (POST) or the query (GET, PUT) of a request the route would take. */
  body?: Fields;
  query?: Record<string, string>;
  /** Fields holding an e:// URI. */
  uris?: string[];
  /** Fields holding a path relative to the Jupyter root. */
  locals?: string[];
  /** Fields holding a place written, deleted or moved away from. */
  writes?: string[];
  /** Fields holding a job or upload id. */
  ids?: string[];
  /** The message a bad value (by name) gets here instead of its usual one. */
  say?: Record<string, RegExp>;
}

/** A case of its own: a request and the refusal it must get. */
export interface Extra {
  name: string;
  body?: Fields;
  query?: Record<string, string>;
  /** A raw (PUT) body. */
  raw?: Buffer;
  status: number;
  message: RegExp;
}

/** A route's bad-input cases: its shapes, a query parameter of the wrong type, its own cases. */
export interface RouteCases {
  shapes?: Shape[];
  /** A query parameter and a value of the wrong type, with the message it must get. */
  badQuery?: [string, string, RegExp][];
  extra?: Extra[];
  /** Why a route takes no input that could be bad (it must still be listed). */
  none?: string;
}

/** The folder (under e://org/, e://gencove/ and the other user's space) the spec seeds. */
export interface Places {
  folder: string;
}

/** A sync tells its e:// side by the scheme: a URI without it makes two local sides. */
const SYNC_SIDES: Record<string, RegExp> = {
  'a malformed URI': /A sync needs an e:\/\/ folder on at least one side/,
  'a one-slash URI': /A sync needs an e:\/\/ folder on at least one side/,
  'an empty URI': /A sync needs an e:\/\/ folder on at least one side/
};

/** A sync both ways: up from `sub` to `dir`, and down (with `delete`, when asked) from `dir` to `sub`. */
function syncShapes(dir: string, withDelete: boolean): Shape[] {
  return [
    { body: { source: 'sub', destination: dir }, uris: ['destination'], locals: ['source'], writes: ['destination'] },
    {
      body: { source: dir, destination: 'sub', ...(withDelete ? { delete: true } : {}) },
      uris: ['source'],
      locals: ['destination']
    }
  ].map(shape => ({ ...shape, say: SYNC_SIDES }));
}

const NO_INPUT =
  'takes no parameters; unknown query parameters are ignored by design (a cache-buster must not break a GET)';

/** The table: `METHOD /path` to its cases. */
export function routeCases({ folder: F }: Places): Record<string, RouteCases> {
  const file = `e://org/${F}/a.txt`;
  const dir = `e://org/${F}/dst/`;
  const idCases = { ids: ['id'] };
  return {
    'GET /': { none: 'answers the service name and version' },
    'GET /api/whoami': { none: NO_INPUT },
    'GET /api/jobs': { none: NO_INPUT },
    'GET /api/events': { none: NO_INPUT },
    'GET /api/list': {
      shapes: [{ query: { uri: `e://org/${F}/` }, uris: ['uri'] }],
      badQuery: [
        ['limit', 'ten', /'limit': must be a whole number/],
        ['prefix', 'a/b', /'prefix': must be a name prefix/]
      ]
    },
    'GET /api/stat': { shapes: [{ query: { uri: file }, uris: ['uri'] }] },
    'POST /api/presign': { shapes: [{ body: { uri: file }, uris: ['uri'] }] },
    'GET /api/disk': { badQuery: [['mode', 'nfs', /'mode': must be 'filesystem' or 'quota'/]] },
    'GET /api/disk/largest': {
      shapes: [{ query: { under: 'sub' }, locals: ['under'] }],
      badQuery: [['limit', '-1', /'limit': must be a whole number/]]
    },
    'POST /api/mkdir': { shapes: [{ body: { uri: `e://org/${F}/new/` }, uris: ['uri'], writes: ['uri'] }] },
    'POST /api/count': { shapes: [{ body: { uris: [file] }, uris: ['uris.0'] }] },
    'POST /api/delete': {
      shapes: [{ body: { uris: [file], recursive: true }, uris: ['uris.0'], writes: ['uris.0'] }]
    },
    'POST /api/copy': {
      shapes: [
        { body: { sources: [file], destination: dir }, uris: ['sources.0', 'destination'], writes: ['destination'] },
        // A move deletes its sources: a read-only source is a write too.
        { body: { sources: [file], destination: dir, move: true }, writes: ['sources.0'] }
      ]
    },
    'GET /api/job': { shapes: [{ query: { id: 'x' }, ...idCases }], badQuery: [['wait', 'soon', /'wait'/]] },
    'POST /api/job/cancel': { shapes: [{ body: { id: 'x' }, ...idCases }] },
    'POST /api/job/answer': {
      shapes: [{ body: { id: 'x', question: 'q', choice: 'skip' }, ...idCases }],
      extra: [
        {
          name: 'an unknown choice',
          body: { id: 'x', question: 'q', choice: 'maybe' },
          status: 400,
          message: /'choice': must be 'overwrite', 'skip' or 'keep-both'/
        }
      ]
    },
    'POST /api/job/retry': { shapes: [{ body: { id: 'x' }, ...idCases }] },
    'POST /api/jobs/clear': {
      shapes: [{ body: { ids: ['x'] } }],
      extra: [{ name: 'an empty id', body: { ids: [''] }, status: 400, message: /'ids.0': must not be empty/ }]
    },
    'POST /api/transfer': {
      shapes: [
        {
          body: { kind: 'upload', sources: ['local.txt'], destination: dir },
          uris: ['destination'],
          locals: ['sources.0'],
          writes: ['destination'],
          say: { 'an empty URI': /"" does not start with e:\/\// }
        },
        {
          body: { kind: 'download', sources: [file], destination: 'sub' },
          uris: ['sources.0'],
          locals: ['destination'],
          say: { 'an empty URI': /"" does not start with e:\/\// }
        }
      ]
    },
    'POST /api/sync/plan': { shapes: syncShapes(dir, false) },
    'POST /api/sync': { shapes: syncShapes(dir, true) },
    'POST /api/import': {
      shapes: [
        { body: { urls: ['http://127.0.0.1:9/x'], destination: dir }, uris: ['destination'], writes: ['destination'] }
      ],
      extra: [
        {
          name: 'a file: URL',
          body: { urls: ['file:///etc/passwd'], destination: dir },
          status: 400,
          message: /http/
        },
        { name: 'a URL that is not one', body: { urls: ['not a url'], destination: dir }, status: 400, message: /URL/ }
      ]
    },
    'POST /api/uploads': {
      shapes: [
        {
          body: { files: [{ destination: `e://org/${F}/up.txt`, size: 1 }] },
          uris: ['files.0.destination'],
          writes: ['files.0.destination']
        }
      ],
      extra: [
        {
          name: 'a negative size',
          body: { files: [{ destination: `e://org/${F}/up.txt`, size: -1 }] },
          status: 400,
          message: /'files.0.size': must not be negative/
        }
      ]
    },
    'PUT /api/uploads/part': {
      shapes: [{ query: { id: 'x', n: '1' }, ...idCases }],
      badQuery: [
        ['n', '0', /'n': must be between 1 and 10000/],
        ['n', 'one', /'n': must be a whole number/]
      ]
    },
    'POST /api/uploads/complete': { shapes: [{ body: { id: 'x' }, ...idCases }] },
    'POST /api/uploads/abort': { shapes: [{ body: { id: 'x' }, ...idCases }] },
    'GET /api/content': {
      shapes: [{ query: { uri: file }, uris: ['uri'] }],
      badQuery: [['format', 'hex', /'format': must be 'text' or 'base64'/]]
    },
    'PUT /api/content/save': {
      shapes: [{ query: { uri: file }, uris: ['uri'], writes: ['uri'] }],
      extra: [
        {
          name: 'a body over 64 MB',
          query: { uri: file },
          raw: Buffer.alloc(64 * 1000 ** 2 + 1, 'x'),
          status: 413,
          message: /Files above 64(\.0)? MB are not saved/
        }
      ]
    },
    'GET /api/head': {
      shapes: [{ query: { uri: file }, uris: ['uri'] }],
      badQuery: [['lines', '0', /'lines': must be between/]]
    },
    'GET /api/checkpoints': { shapes: [{ query: { uri: file }, uris: ['uri'] }] },
    'POST /api/checkpoints/change': {
      // A checkpoint is kept in memory: creating one of a read-only file reads it; restoring writes.
      shapes: [
        { body: { uri: file, action: 'create' }, uris: ['uri'] },
        { body: { uri: file, action: 'restore' }, writes: ['uri'] }
      ],
      extra: [
        {
          name: 'an unknown action',
          body: { uri: file, action: 'undo' },
          status: 400,
          message: /'action': must be 'create', 'restore' or 'delete'/
        }
      ]
    },
    'POST /api/disk/offload': {
      shapes: [
        {
          body: { paths: ['local.txt'], destination: dir },
          uris: ['destination'],
          locals: ['paths.0'],
          writes: ['destination']
        }
      ]
    },
    'POST /api/disk/delete': { shapes: [{ body: { paths: ['local.txt'] }, locals: ['paths.0'] }] },
    'POST /api/locations': {
      shapes: [
        {
          body: { locations: [{ uri: 's3://public-data-example/refs/', sign: false }] },
          uris: ['locations.0.uri'],
          // The generic bad URIs are e:// ones: a location is an s3:// URI.
          say: Object.fromEntries(
            [
              'a malformed URI',
              'a one-slash URI',
              'an unknown namespace',
              'a NUL character',
              'a key over 1,024 bytes (600 two-byte characters)',
              'a user id that is no UUID'
            ].map(name => [name, /An S3 location starts with s3:\/\//])
          )
        }
      ],
      extra: [
        {
          name: 'a NUL character in an s3:// URI',
          body: { locations: [{ uri: 's3://public-data-example/a\u0000b/', sign: false }] },
          status: 400,
          message: /NUL/
        },
        {
          name: 'a prefix over 1,024 bytes',
          body: { locations: [{ uri: `s3://public-data-example/${'é'.repeat(600)}/`, sign: false }] },
          status: 400,
          message: /1024/
        },
        {
          name: 'a bucket name S3 does not allow',
          body: { locations: [{ uri: 's3://Not_A_Bucket/', sign: false }] },
          status: 400,
          message: /bucket/i
        },
        {
          name: 'an EOS bucket as a location',
          body: { locations: [{ uri: `s3://${S3.orgBucket}/shared/`, sign: true }] },
          status: 400,
          message: /EOS/
        },
        {
          name: 'no sign flag',
          body: { locations: [{ uri: 's3://public-data-example/' }] },
          status: 400,
          message: /'locations.0.sign'/
        }
      ]
    },
    'POST /api/changed': {
      shapes: [{ body: { written: [`e://org/${F}/`], removed: [] }, uris: ['written.0'] }],
      extra: [
        {
          name: 'a file, not a folder',
          body: { written: [file], removed: [] },
          status: 400,
          message: /Not a folder/
        }
      ]
    }
  };
}

/** Replace the value at a dotted path of a copy of `fields`. */
export function withField(fields: Fields, at: string, value: unknown): Fields {
  const copy = structuredClone(fields);
  const keys = at.split('.');
  let node: any = copy;
  for (const key of keys.slice(0, -1)) {
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** The value at a dotted path. */
export function fieldOf(fields: Fields, at: string): unknown {
  return at.split('.').reduce<any>((node, key) => node?.[key], fields);
}

/** A bad value for a field, and the message that must name the problem. */
export interface BadValue {
  name: string;
  value: string;
  status: number;
  message: RegExp;
}

/** Bad e:// URIs; a folder URI (`base` ends in '/') gets folder-shaped bad values. */
export function badUris(base: string): BadValue[] {
  const slash = base.endsWith('/') ? '/' : '';
  return [
    { name: 'a malformed URI', value: `org/x${slash}`, status: 400, message: /does not start with e:\/\// },
    { name: 'a one-slash URI', value: `e:/org/x${slash}`, status: 400, message: /does not start with e:\/\// },
    { name: 'an unknown namespace', value: `e://nope/x${slash}`, status: 400, message: /Invalid namespace 'nope'/ },
    { name: 'a NUL character', value: `e://org/a\u0000b${slash}`, status: 400, message: /NUL character/ },
    {
      name: 'a key over 1,024 bytes (600 two-byte characters)',
      value: `e://org/${'é'.repeat(600)}${slash}`,
      status: 400,
      message: /S3 allows at most 1024/
    },
    { name: 'an empty URI', value: '', status: 400, message: /must not be empty/ },
    { name: 'a user id that is no UUID', value: `e://users/bob/x${slash}`, status: 400, message: /not a valid UUID/ }
  ];
}

/** Bad local paths: `..`, absolute, NUL, and through the `out` symlink that leads out of the root. */
export function badLocals(): BadValue[] {
  return [
    {
      name: "a path with '..'",
      value: 'sub/../../x',
      status: 403,
      message: /leads out of the Jupyter root \('\.\.'\)/
    },
    { name: 'an absolute path', value: '/etc', status: 403, message: /is absolute/ },
    { name: 'a NUL character', value: 'sub/a\u0000b', status: 403, message: /NUL character/ },
    { name: 'a symlink out of the root', value: 'out/secret.txt', status: 403, message: /a symbolic link/ }
  ];
}

/** Write targets the user may not write: e://gencove/ and another user's space. */
export function badWrites(F: string, base: string): BadValue[] {
  const tail = base.endsWith('/') ? 'w/' : 'g.txt';
  return [
    {
      name: 'a target in e://gencove/',
      value: `e://gencove/${F}/${tail}`,
      status: 403,
      message: /e:\/\/gencove\/ is read-only/
    },
    {
      name: "a target in another user's space",
      value: `e://users/${S3.otherUserId}/${F}/${tail}`,
      status: 403,
      message: /belongs to another user and is read-only/
    }
  ];
}

/** Bad job and upload ids. */
export function badIds(): BadValue[] {
  return [
    { name: 'an unknown id', value: 'no-such-job', status: 404, message: /no-such-job/ },
    { name: 'an empty id', value: '', status: 400, message: /must not be empty/ },
    { name: 'an id over 100 characters', value: 'j'.repeat(101), status: 400, message: /is too long/ },
    { name: 'control characters', value: 'a\u0001\u001b[2Jb', status: 404, message: /not|No/ }
  ];
}

/** `METHOD /path` of every route the server dispatches, sorted. */
export function dispatchedRoutes(): string[] {
  const unused = () => {
    throw new Error('unused');
  };
  const deps = { config: testConfig(), needStore: unused, needEngine: unused, disk: {} as DiskMonitor };
  const keys: string[] = [];
  for (const [p, route] of routeMap(deps)) {
    for (const method of ['GET', 'POST', 'PUT'] as const) {
      if (route[method]) {
        keys.push(`${method} ${p}`);
      }
    }
  }
  return keys.sort();
}
