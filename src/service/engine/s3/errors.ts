/**
 * The one place S3 and network failures become API errors. What S3 said
 * (its error code, the HTTP status) and why it could not be asked (a network
 * code, a timeout) stay as fields of the error (`S3Error`), so callers test
 * them (`isPreconditionFailed`, `isUnreachable`) instead of parsing messages.
 */
import { ErrorCode, EosError } from '../../../core';

/** An `EosError` from an S3 call, with what S3 answered or why it could not be asked. */
export class S3Error extends EosError {
  constructor(
    code: ErrorCode,
    message: string,
    details: string | undefined,
    readonly s3: S3Error.IFailure
  ) {
    super(code, message, details);
  }
}

/** The namespace for `S3Error` statics. */
export namespace S3Error {
  /** Why an S3 call failed. */
  export interface IFailure {
    /** S3's error code (or the SDK's name for it) when S3 answered, e.g. `PreconditionFailed`. */
    code?: string;
    /** The HTTP status when S3 answered. */
    status?: number;
    /** Node's network error code when S3 could not be reached, e.g. `ECONNREFUSED`. */
    network?: string;
    /** Whether the call (or its deadline) timed out. */
    timeout?: boolean;
    /** How many attempts the SDK made (more than one: an earlier one may have done the work). */
    attempts?: number;
  }
}

/** Whether an error is S3's answer to a failed `If-None-Match`/`If-Match` precondition (HTTP 412). */
export function isPreconditionFailed(err: unknown): boolean {
  return err instanceof S3Error && (err.s3.code === 'PreconditionFailed' || err.s3.status === 412);
}

/**
 * Whether an error is S3's answer to a conditional write racing another
 * write of the same key (HTTP 409 `ConditionalRequestConflict`): the
 * condition may well fail once the other write lands.
 */
export function isConditionalConflict(err: unknown): boolean {
  return err instanceof S3Error && (err.s3.code === 'ConditionalRequestConflict' || err.s3.status === 409);
}

/**
 * What a write made on condition that its key is free (`If-None-Match: *`)
 * becomes when S3 refuses it: `Conflict` naming the object, for S3's 412 (the
 * key is taken) and its 409 (another conditional write of the key was running,
 * so nothing was written). Other errors are returned unchanged.
 */
export function refusedAsTaken(err: unknown, uri: string): unknown {
  if (isPreconditionFailed(err)) {
    return new EosError('Conflict', `${uri} already exists`);
  }
  if (isConditionalConflict(err)) {
    return new EosError(
      'Conflict',
      `${uri} was being written by another client at the same moment: nothing was written`
    );
  }
  return err;
}

/**
 * Whether an error is S3's answer that a multipart upload does not exist
 * (HTTP 404 `NoSuchUpload`; its bucket gone too): it was completed or
 * aborted already.
 */
export function isNoSuchUpload(err: unknown): boolean {
  return err instanceof S3Error && (err.s3.code === 'NoSuchUpload' || err.s3.status === 404);
}

/** Whether S3 answered with a server error (HTTP 5xx): the request may or may not have been done. */
export function isServerError(err: unknown): boolean {
  return err instanceof S3Error && (err.s3.status ?? 0) >= 500;
}

/** Whether S3 could not be asked at all: unreachable, or no answer in time. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof S3Error && (err.s3.network !== undefined || err.s3.timeout === true);
}

/** What a failed S3 call was about, for the message. */
export interface S3ErrorContext {
  /** The `e://` URI the user asked about, if any. */
  uri?: string;
  /** The bucket the call went to. */
  bucket: string;
  /** Where S3 requests go (see `endpointLabel`). */
  endpoint: string;
}

/** Node's codes for a server that cannot be reached. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED'
]);

/** Error names of the SDK's credential providers. */
const CREDENTIAL_PROVIDER_ERRORS = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);

/** S3 codes that mean the credentials were found but are not accepted. */
const REJECTED_CREDENTIALS = new Set(['ExpiredToken', 'InvalidAccessKeyId', 'InvalidToken', 'SignatureDoesNotMatch']);

interface ErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };
}

/** The S3 error code (or the SDK's name for it) and the HTTP status, when S3 answered. */
function s3Code(e: ErrorLike): { code: string; status: number | undefined } {
  return { code: e.Code ?? e.name ?? 'Error', status: e.$metadata?.httpStatusCode };
}

/**
 * The Node network error code of a failure, if it is one. The SDK's retry
 * layer wraps errors from another realm (as under jest) into a plain Error
 * whose message alone keeps the code.
 */
function networkCode(e: ErrorLike): string | undefined {
  if (e.code !== undefined) {
    return NETWORK_CODES.has(e.code) ? e.code : undefined;
  }
  return (e.message ?? '').match(/\bE[A-Z_]+\b/g)?.find(c => NETWORK_CODES.has(c));
}

/** A connection or request timeout, or the per-call deadline (an abort). */
function isTimeout(e: ErrorLike): boolean {
  return e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'ETIMEDOUT';
}

/**
 * Map anything an S3 call threw to an `EosError`.
 *
 * - NoSuchBucket: `NotFound` naming the bucket and the settings that choose it;
 * - NoSuchKey, NotFound, 404: `NotFound` naming the URI;
 * - AccessDenied, 403: `AccessDenied` naming the URI;
 * - credential provider failures and rejected credentials: `NoCredentials`;
 * - unreachable endpoint, timeouts: `Upstream` naming the endpoint;
 * - anything else: `Upstream` with S3's code and message in the details.
 */
export function toEosError(err: unknown, where: S3ErrorContext): EosError {
  if (err instanceof EosError) {
    return err;
  }
  const e = asErrorLike(err);
  const message = e.message ?? '';
  const what = where.uri ?? `s3://${where.bucket}`;
  if (e.name !== undefined && CREDENTIAL_PROVIDER_ERRORS.has(e.name)) {
    return new EosError(
      'NoCredentials',
      'No AWS credentials found: the service uses the AWS SDK default chain (instance role, ' +
        'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ...); none of them provided credentials',
      message
    );
  }
  if (isTimeout(e)) {
    return new S3Error('Upstream', `S3 at ${where.endpoint} did not answer in time`, message, { timeout: true });
  }
  const network = networkCode(e);
  if (network !== undefined) {
    return new S3Error('Upstream', `Cannot reach S3 at ${where.endpoint}: ${network}`, message, { network });
  }
  const { code, status } = s3Code(e);
  const details = `${code}${status ? ` (HTTP ${status})` : ''}: ${message}`;
  const answered = { code, status, attempts: e.$metadata?.attempts };
  if (code === 'NoSuchBucket') {
    return new S3Error(
      'NotFound',
      `The bucket ${where.bucket} does not exist: check GENCOVE_ORGANIZATION_ID, ` +
        'or the bucket overrides EOS_ORG_BUCKET / EOS_GENCOVE_BUCKET',
      details,
      answered
    );
  }
  if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) {
    return new S3Error('NotFound', `No such object: ${what}`, details, answered);
  }
  if (REJECTED_CREDENTIALS.has(code)) {
    return new S3Error(
      'NoCredentials',
      `S3 rejected the AWS credentials (${code}) while accessing ${what}`,
      details,
      answered
    );
  }
  if (code === 'AccessDenied' || code === 'Forbidden' || status === 403) {
    return new S3Error('AccessDenied', `Access denied to ${what}`, details, answered);
  }
  if (code === 'PermanentRedirect' || status === 301) {
    return new S3Error(
      'Upstream',
      `The bucket ${where.bucket} is in another region than ${where.endpoint}: set EOS_REGION`,
      details,
      answered
    );
  }
  return new S3Error('Upstream', `S3 failed on ${what}: ${code}`, details, answered);
}
