/**
 * What the data layer refuses, in its own terms: the http layer turns these into 404 and 409
 * answers (http/errors.ts), so db code never depends on http.
 */

/** The row is not there (or not for this caller); `what` names it for the answer. */
export class RowNotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} was not found.`);
    this.name = 'RowNotFoundError';
  }
}

/** Someone else changed the row since the caller read it. */
export class VersionConflictError extends Error {
  constructor(readonly currentVersion: number) {
    super(`The row is now at version ${currentVersion}.`);
    this.name = 'VersionConflictError';
  }
}
