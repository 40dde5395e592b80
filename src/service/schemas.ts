/**
 * Request validation: every query and body goes through one of these.
 */
import * as z from 'zod';
import { EosError, MAX_LIST_LIMIT } from '../core';

/** Generous for a 1,024-byte key plus bucket and namespace, in characters. */
const MAX_URI_LENGTH = 4096;

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`)
});

const uri = z.string(required('a string')).min(1, 'must not be empty').max(MAX_URI_LENGTH, 'is too long');

// Queries are strict too: a misspelt `curser=` must not silently list from the start.

/** `GET api/list?uri=&cursor=&limit=` */
export const ListQuery = z.strictObject({
  uri,
  cursor: z.string().min(1, 'must not be empty').max(MAX_URI_LENGTH, 'is too long').optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, `must be between 1 and ${MAX_LIST_LIMIT}`).max(MAX_LIST_LIMIT, `must be between 1 and ${MAX_LIST_LIMIT}`))
    .optional()
});

/** `GET api/stat?uri=` */
export const StatQuery = z.strictObject({ uri });

/** `POST api/presign {uri, expiresIn?}` */
export const PresignBody = z.strictObject(
  {
    uri,
    expiresIn: z
      .number(required('a number'))
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1 second')
      .max(Number.MAX_SAFE_INTEGER, 'is too large')
      .optional()
  },
  { error: 'the body must be a JSON object' }
);

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
