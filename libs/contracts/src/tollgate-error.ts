/**
 * The base of every error Tollgate throws (jose's model): a stable `code` from the subclass's own
 * union, so a `switch` narrows it and tests assert on codes, never on messages; and `name` taken
 * from the class, so a log line (`errorFields`) says which error it was. A message must never hold
 * a secret; it may quote an input value, which is why logs keep only the name and the code.
 */
export abstract class TollgateError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
