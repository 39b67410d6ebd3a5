/**
 * Errors a caller can act on carry a stable `code`; code never branches on messages. Anything that
 * is not an AppError is a bug and answers 500.
 */

/**
 * Every code an error may carry, with the HTTP status that both the API and the desk answer it
 * with. The one table of them: a new code is one line here.
 */
export const errorStatus = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  stale_version: 409,
  illegal_transition: 409,
  conflict: 409,
  qa_failed: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  feed_unreadable: 422,
  rate_limited: 429,
  internal: 500,
  fetch_failed: 502,
  database_unavailable: 503,
  starting: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

export const statusOf = (code: ErrorCode): number => errorStatus[code];

export class AppError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details?: unknown) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  /** `what`: the thing's name in English ("story", "source"), also the last part of its locale key (errors:api.thing.*). */
  constructor(readonly what: string, readonly id: string | number) {
    super('not_found', `${what} ${id} does not exist`);
  }
}

export class InvalidInputError extends AppError {
  constructor(message: string, details?: unknown) {
    super('invalid_input', message, details);
  }
}

/**
 * A save, or an approval or rejection, based on a version that is no longer current: the caller
 * must look at `current` first. `seen`: whether the person edited that version or reviewed it.
 */
export class StaleVersionError extends AppError {
  constructor(readonly current: unknown, readonly basedOn: number, readonly currentVersion: number, readonly seen: 'edited' | 'reviewed' = 'edited') {
    super('stale_version', seen === 'edited'
      ? `the text was changed by someone else: you edited version ${basedOn}, the current version is ${currentVersion}`
      : `the text changed after you read it: you reviewed version ${basedOn}, the current version is ${currentVersion}; read version ${currentVersion} before you approve or reject it`,
    { current, currentVersion });
  }
}

/**
 * An error a person reads in the desk: `key` (with its namespace, e.g. "people:error.duplicate")
 * and `values` render it in their language; `message` stays the English of the API and the log.
 */
export class PersonError extends AppError {
  constructor(code: ErrorCode, readonly key: string, readonly values: Record<string, unknown>, message: string, details?: unknown) {
    super(code, message, details);
  }
}

/**
 * Why the service cannot start, in one sentence a person can act on (a port taken, a data folder in
 * use or not writable). The entry point prints the message alone, without a stack: nothing is wrong
 * with the code.
 */
export class StartError extends Error {
  constructor(readonly code: 'port_in_use' | 'port_refused' | 'data_dir_in_use' | 'data_dir_not_writable', message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
