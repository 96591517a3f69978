/**
 * An error whose message is meant for the user (bad file, unknown user, invalid flag): the CLI
 * prints it without a stack trace and the API maps it to a 4xx response.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** HTTP status when raised behind the API. */
    readonly status: 400 | 404 | 409 | 413 | 422 = 400,
  ) {
    super(message);
    this.name = "UserError";
  }
}
