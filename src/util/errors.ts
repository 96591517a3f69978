/**
 * An error whose message is meant for the user (bad file, unknown user, invalid flag): the CLI
 * prints it without a stack trace and the API maps it to a 4xx response.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** HTTP status when raised behind the API. */
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503 = 400,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** A 400 about one request parameter or flag, reported with its name (the API adds it to the body). */
export class ParameterError extends UserError {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(`invalid parameter ${parameter}: ${reason}`, 400);
  }
}
