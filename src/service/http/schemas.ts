/**
 * Request validation: every query and body goes through one of these.
 *
 * Each schema `satisfies` the route table of `src/core/api.ts`, and its
 * fields are checked against the route's fields both ways (`SameKeys`), so a
 * misspelt or missing field fails to compile.
 *
 * Queries ignore parameters they do not know (a cache-buster or a `token`
 * added by JupyterLab or a proxy must not break a GET); JSON bodies are
 * strict (a misspelt `recursve` must not silently change what is deleted).
 */
import * as z from 'zod';
import {
  ApiRoutes,
  EosError,
  MAX_HEAD_LINES,
  MAX_IMPORT_URLS,
  MAX_LIST_LIMIT,
  MAX_LOCATIONS,
  MAX_OPEN_LIMIT,
  MAX_UPLOAD_FILES,
  RouteName
} from '../../core';

/** Generous for a 1,024-byte key plus bucket and namespace, in characters. */
const MAX_URI_LENGTH = 4096;
/** The most URIs one request may name. */
export const MAX_URIS = 1000;

type Query<R extends RouteName> = ApiRoutes[R] extends { query: infer Q } ? Q : never;
type Body<R extends RouteName> = ApiRoutes[R] extends { body: infer B } ? B : never;

export const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`)
});
const bodyObject = { error: 'the body must be a JSON object' };

export const uri = z.string(required('a string')).min(1, 'must not be empty').max(MAX_URI_LENGTH, 'is too long');
const uris = z
  .array(uri, required('an array of URIs'))
  .min(1, 'must name at least one URI')
  .max(MAX_URIS, `may name at most ${MAX_URIS} URIs`);

/** A whole number in a query string, within bounds. */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));

/** `GET api/list?uri=&cursor=&limit=&prefix=` */
export const ListQuery = z.object({
  uri,
  cursor: z.string().min(1, 'must not be empty').max(MAX_URI_LENGTH, 'is too long').optional(),
  limit: wholeNumber(1, MAX_LIST_LIMIT, `must be between 1 and ${MAX_LIST_LIMIT}`).optional(),
  prefix: z
    .string()
    .max(MAX_URI_LENGTH, 'is too long')
    .refine(p => !p.includes('/'), "must be a name prefix, without '/'")
    .optional()
}) satisfies z.ZodType<Query<'api/list'>, unknown>;

/** `GET api/stat?uri=` */
export const StatQuery = z.object({ uri }) satisfies z.ZodType<Query<'api/stat'>, unknown>;

/** `GET api/whoami`, `GET api/disk`: no parameters. */
export const NoQuery = z.object({}) satisfies z.ZodType<Query<'api/whoami'>, unknown>;

/** `GET api/job?id=&wait=`; a longer wait is held for at most MAX_JOB_WAIT_MS. */
export const JobQuery = z.object({
  id: z.string(required('a string')).min(1, 'must not be empty').max(100, 'is too long'),
  wait: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'is too large').optional()
}) satisfies z.ZodType<Query<'api/job'>, unknown>;

/** `POST api/presign {uri, expiresIn?, download?}` */
export const PresignBody = z.strictObject(
  {
    uri,
    expiresIn: z
      .number(required('a number'))
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1 second')
      .max(Number.MAX_SAFE_INTEGER, 'is too large')
      .optional(),
    download: z.boolean(required('true or false')).optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/presign'>, unknown>;

/** `POST api/mkdir {uri}` */
export const MkdirBody = z.strictObject({ uri }, bodyObject) satisfies z.ZodType<Body<'api/mkdir'>, unknown>;

/** `POST api/count {uris}` */
export const CountBody = z.strictObject({ uris }, bodyObject) satisfies z.ZodType<Body<'api/count'>, unknown>;

/** `POST api/delete {uris, recursive?}` */
export const DeleteBody = z.strictObject(
  { uris, recursive: z.boolean(required('true or false')).optional() },
  bodyObject
) satisfies z.ZodType<Body<'api/delete'>, unknown>;

/** What to do with targets that exist. */
const conflictPolicy = z.enum(
  ['fail', 'ask', 'overwrite', 'skip', 'keep-both'],
  required("'fail', 'ask', 'overwrite', 'skip' or 'keep-both'")
);

/** `POST api/copy {sources, destination, move?, conflict?}` */
export const CopyBody = z.strictObject(
  {
    sources: uris,
    destination: uri,
    move: z.boolean(required('true or false')).optional(),
    conflict: conflictPolicy.optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/copy'>, unknown>;

/** `POST api/job/cancel {id}` */
export const CancelJobBody = z.strictObject(
  { id: z.string(required('a string')).min(1, 'must not be empty').max(100, 'is too long') },
  bodyObject
) satisfies z.ZodType<Body<'api/job/cancel'>, unknown>;

/** A local path relative to the Jupyter root (`''` is the root). */
const localPath = z.string(required('a string')).max(MAX_URI_LENGTH, 'is too long');

/** `POST api/transfer {kind, sources, destination, conflict?}`: local paths or URIs, by kind. */
export const TransferBody = z.strictObject(
  {
    kind: z.enum(['upload', 'download'], required("'upload' or 'download'")),
    sources: z
      .array(localPath, required('an array of paths or URIs'))
      .min(1, 'must name at least one source')
      .max(MAX_URIS, `may name at most ${MAX_URIS} sources`),
    destination: localPath,
    conflict: conflictPolicy.optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/transfer'>, unknown>;

/**
 * `POST api/sync/plan`, `POST api/sync {source, destination, delete?, exclude?, filters?}`:
 * a local path and a URI, either way round, or two URIs (the engine tells which).
 */
export const SyncBody = z.strictObject(
  {
    source: localPath,
    destination: localPath,
    delete: z.boolean(required('true or false')).optional(),
    exclude: z
      .array(
        z.string(required('a string')).min(1, 'must not be empty').max(1000, 'is too long'),
        required('an array of globs')
      )
      .max(100, 'may hold at most 100 patterns')
      .optional(),
    filters: z
      .array(
        z.strictObject(
          {
            include: z.boolean(required('true or false')),
            glob: z.string(required('a string')).min(1, 'must not be empty').max(1000, 'is too long')
          },
          required('an object {include, glob}')
        ),
        required('an array of {include, glob}')
      )
      .max(100, 'may hold at most 100 filters')
      .optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/sync'>, unknown>;
const jobId = z.string(required('a string')).min(1, 'must not be empty').max(100, 'is too long');
const choice = z.enum(['overwrite', 'skip', 'keep-both'], required("'overwrite', 'skip' or 'keep-both'"));

/** `POST api/job/answer {id, question, choice, applyToAll?}` */
export const AnswerJobBody = z.strictObject(
  { id: jobId, question: jobId, choice, applyToAll: z.boolean(required('true or false')).optional() },
  bodyObject
) satisfies z.ZodType<Body<'api/job/answer'>, unknown>;

/** `POST api/job/retry {id}` */
export const RetryJobBody = z.strictObject({ id: jobId }, bodyObject) satisfies z.ZodType<
  Body<'api/job/retry'>,
  unknown
>;

/** `POST api/jobs/clear {ids?}` */
export const ClearJobsBody = z.strictObject(
  {
    ids: z.array(jobId, required('an array of job ids')).max(MAX_URIS, `may name at most ${MAX_URIS} jobs`).optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/jobs/clear'>, unknown>;

/** `POST api/uploads {files, conflict?}` */
export const CreateUploadsBody = z.strictObject(
  {
    files: z
      .array(
        z.strictObject({
          destination: uri,
          size: z
            .number(required('a number'))
            .int('must be a whole number of bytes')
            .min(0, 'must not be negative')
            .max(Number.MAX_SAFE_INTEGER, 'is too large'),
          modified: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time' }).optional()
        }),
        required('an array of files')
      )
      .min(1, 'must name at least one file')
      .max(MAX_UPLOAD_FILES, `may name at most ${MAX_UPLOAD_FILES} files`),
    conflict: z
      .enum(['fail', 'overwrite', 'skip', 'keep-both'], required("'fail', 'overwrite', 'skip' or 'keep-both'"))
      .optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/uploads'>, unknown>;

/** `PUT api/uploads/part?id=&n=` (the body is the part's bytes). */
export const UploadPartQuery = z.object({
  id: jobId,
  n: wholeNumber(1, 10000, 'must be between 1 and 10000')
}) satisfies z.ZodType<Query<'api/uploads/part'>, unknown>;

/** `POST api/uploads/complete {id}`, `POST api/uploads/abort {id}` */
export const UploadIdBody = z.strictObject({ id: jobId }, bodyObject) satisfies z.ZodType<
  Body<'api/uploads/complete'>,
  unknown
>;

/** True when the two types have the same field names. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
type Checked<S extends z.ZodType, T> = SameKeys<z.output<S>, T>;

// Compile-time: a schema field the route table does not have, or the reverse, fails here.
const fieldsMatch: [
  Checked<typeof ListQuery, Query<'api/list'>>,
  Checked<typeof StatQuery, Query<'api/stat'>>,
  Checked<typeof JobQuery, Query<'api/job'>>,
  Checked<typeof PresignBody, Body<'api/presign'>>,
  Checked<typeof MkdirBody, Body<'api/mkdir'>>,
  Checked<typeof CountBody, Body<'api/count'>>,
  Checked<typeof DeleteBody, Body<'api/delete'>>,
  Checked<typeof CopyBody, Body<'api/copy'>>,
  Checked<typeof CancelJobBody, Body<'api/job/cancel'>>,
  Checked<typeof TransferBody, Body<'api/transfer'>>,
  Checked<typeof SyncBody, Body<'api/sync'>>,
  Checked<typeof SyncBody, Body<'api/sync/plan'>>,
  Checked<typeof AnswerJobBody, Body<'api/job/answer'>>,
  Checked<typeof RetryJobBody, Body<'api/job/retry'>>,
  Checked<typeof ClearJobsBody, Body<'api/jobs/clear'>>,
  Checked<typeof CreateUploadsBody, Body<'api/uploads'>>,
  Checked<typeof UploadPartQuery, Query<'api/uploads/part'>>,
  Checked<typeof UploadIdBody, Body<'api/uploads/complete'>>,
  Checked<typeof UploadIdBody, Body<'api/uploads/abort'>>
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void fieldsMatch;

// ---- Opening files and peeking (issue 8) ----

/** A boolean in a query string: `true`/`false` (or `1`/`0`). */
const queryBoolean = z
  .enum(['true', 'false', '1', '0'], { error: "must be 'true' or 'false'" })
  .transform(v => v === 'true' || v === '1');

/** `GET api/content?uri=&format=&limit=&content=` */
export const ContentQuery = z.object({
  uri,
  format: z.enum(['text', 'base64'], { error: "must be 'text' or 'base64'" }).optional(),
  limit: wholeNumber(1, MAX_OPEN_LIMIT, `must be between 1 and ${MAX_OPEN_LIMIT}`).optional(),
  content: queryBoolean.optional()
}) satisfies z.ZodType<Query<'api/content'>, unknown>;

/** `PUT api/content/save?uri=&etag=` (the body is the object's bytes). */
export const SaveQuery = z.object({
  uri,
  etag: z.string().min(1, 'must not be empty').max(200, 'is too long').optional()
}) satisfies z.ZodType<Query<'api/content/save'>, unknown>;

/** `GET api/head?uri=&lines=&header=` */
export const HeadQuery = z.object({
  uri,
  lines: wholeNumber(1, MAX_HEAD_LINES, `must be between 1 and ${MAX_HEAD_LINES}`).optional(),
  header: z.string().min(1, 'must not be empty').max(16, 'is too long').optional()
}) satisfies z.ZodType<Query<'api/head'>, unknown>;

/** `GET api/checkpoints?uri=` */
export const CheckpointsQuery = z.object({ uri }) satisfies z.ZodType<Query<'api/checkpoints'>, unknown>;

/** `POST api/checkpoints/change {uri, action, id?}` */
export const CheckpointBody = z.strictObject(
  {
    uri,
    action: z.enum(['create', 'restore', 'delete'], required("'create', 'restore' or 'delete'")),
    id: z.string(required('a string')).min(1, 'must not be empty').max(100, 'is too long').optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/checkpoints/change'>, unknown>;

const openFieldsMatch: [
  Checked<typeof ContentQuery, Query<'api/content'>>,
  Checked<typeof SaveQuery, Query<'api/content/save'>>,
  Checked<typeof HeadQuery, Query<'api/head'>>,
  Checked<typeof CheckpointsQuery, Query<'api/checkpoints'>>,
  Checked<typeof CheckpointBody, Body<'api/checkpoints/change'>>
] = [true, true, true, true, true];
void openFieldsMatch;

/** Describe the first problem, naming the field. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    return `Invalid request: unknown field ${issue.keys.map(k => `'${k}'`).join(', ')}`;
  }
  if (issue.path.length === 0) {
    return `Invalid request: ${issue.message}`;
  }
  return `Invalid '${issue.path.join('.')}': ${issue.message}`;
}

/**
 * Validate `input` against `schema`.
 *
 * @throws EosError `InvalidRequest` naming the offending field.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new EosError('InvalidRequest', describe(result.error));
  }
  return result.data;
}

/**
 * Validate a query string against an object schema. Parameters the schema
 * does not name are ignored, even repeated; a named one given twice is refused.
 *
 * @throws EosError `InvalidRequest` naming the offending parameter.
 */
export function validateQuery<S extends z.ZodObject>(schema: S, query: URLSearchParams): z.output<S> {
  const known: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const values = query.getAll(name);
    if (values.length > 1) {
      throw new EosError('InvalidRequest', `Invalid request: query parameter '${name}' is given more than once`);
    }
    if (values.length === 1) {
      known[name] = values[0];
    }
  }
  return validate(schema, known);
}

// ---- Disk gauge (issue 7) ----

/** `GET api/disk?mode=` */
export const DiskQuery = z.object({
  mode: z.enum(['filesystem', 'quota'], required("'filesystem' or 'quota'")).optional()
}) satisfies z.ZodType<Query<'api/disk'>, unknown>;

/** `GET api/disk/largest?offset=&limit=&under=` */
export const DiskLargestQuery = z.object({
  offset: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'is too large').optional(),
  limit: wholeNumber(1, 500, 'must be between 1 and 500').optional(),
  under: z.string().max(4096, 'is too long').optional()
}) satisfies z.ZodType<Query<'api/disk/largest'>, unknown>;

const localPaths = z
  .array(localPath, required('an array of paths'))
  .min(1, 'must name at least one path')
  .max(MAX_URIS, `may name at most ${MAX_URIS} paths`);

/** `POST api/disk/offload {paths, destination?}` */
export const OffloadBody = z.strictObject(
  { paths: localPaths, destination: uri.optional() },
  bodyObject
) satisfies z.ZodType<Body<'api/disk/offload'>, unknown>;

/** `POST api/disk/delete {paths}` */
export const LocalDeleteBody = z.strictObject({ paths: localPaths }, bodyObject) satisfies z.ZodType<
  Body<'api/disk/delete'>,
  unknown
>;

/** `POST api/import {urls, destination, name?, conflict?}` */
export const ImportBody = z.strictObject(
  {
    urls: z
      .array(
        z.string(required('a string')).min(1, 'must not be empty').max(8192, 'is too long'),
        required('an array of URLs')
      )
      .min(1, 'must name at least one URL')
      .max(MAX_IMPORT_URLS, `may name at most ${MAX_IMPORT_URLS} URLs`),
    destination: uri,
    name: z.string(required('a string')).min(1, 'must not be empty').max(1024, 'is too long').optional(),
    conflict: conflictPolicy.optional()
  },
  bodyObject
) satisfies z.ZodType<Body<'api/import'>, unknown>;

/** `POST api/locations {locations: [{uri, sign}]}` */
export const LocationsBody = z.strictObject(
  {
    locations: z
      .array(
        z.strictObject({ uri, sign: z.boolean(required('true or false')) }, bodyObject),
        required('an array of locations')
      )
      .max(MAX_LOCATIONS, `may name at most ${MAX_LOCATIONS} locations`)
  },
  bodyObject
) satisfies z.ZodType<Body<'api/locations'>, unknown>;

const diskFieldsMatch: [
  Checked<typeof DiskQuery, Query<'api/disk'>>,
  Checked<typeof DiskLargestQuery, Query<'api/disk/largest'>>,
  Checked<typeof OffloadBody, Body<'api/disk/offload'>>,
  Checked<typeof LocalDeleteBody, Body<'api/disk/delete'>>,
  Checked<typeof ImportBody, Body<'api/import'>>,
  Checked<typeof LocationsBody, Body<'api/locations'>>
] = [true, true, true, true, true, true];
void diskFieldsMatch;
