/**
 * Errors a caller can act on carry a stable `code`; the web layer maps codes to HTTP statuses and
 * never looks at messages. Anything else is a bug and answers 500.
 */
export class AppError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string | number) {
    super('not_found', `${what} ${id} does not exist`);
  }
}

export class InvalidInputError extends AppError {
  constructor(message: string, details?: unknown) {
    super('invalid_input', message, details);
  }
}

/** A save based on a version that is no longer current: the caller must look at `current` first. */
export class StaleVersionError extends AppError {
  constructor(readonly current: unknown, basedOn: number, currentVersion: number) {
    super('stale_version', `the text was changed by someone else: you edited version ${basedOn}, the current version is ${currentVersion}`, { current });
  }
}
