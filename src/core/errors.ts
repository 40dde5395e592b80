/**
 * Error codes shared by the service and the frontend.
 *
 * The service answers every failure with `{ code, message }` and the HTTP
 * status below; the frontend turns the code into a translated message.
 */
export const ERROR_STATUS = {
  InvalidRequest: 400,
  InvalidUri: 400,
  Unauthorized: 401,
  Forbidden: 403,
  AccessDenied: 403,
  ReadOnly: 403,
  OutsideRoot: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  PayloadTooLarge: 413,
  Internal: 500,
  Upstream: 502,
  NoCredentials: 503,
  NotConfigured: 503,
  NoSpace: 507
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every error response. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Extra context for the "Show details" action, never secrets. */
  details?: string;
}

/** An error that carries an API error code. */
export class EosError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string
  ) {
    super(message);
    this.name = 'EosError';
  }

  /** The HTTP status the service answers this error with. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): ApiError {
    const body: ApiError = { code: this.code, message: this.message };
    if (this.details) {
      body.details = this.details;
    }
    return body;
  }
}

/** Whether a value is an error code known to this version. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}
