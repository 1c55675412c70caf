/**
 * Typed errors shared by every rtcwire package.
 *
 * - `ParseError`: remote bytes did not decode. Carries a machine-readable `code` and the byte
 *   `offset` where decoding stopped. Receive paths catch it, count it and drop the input.
 * - `InvalidArgumentError` / `InvalidStateError`: local misuse, thrown at once to the caller.
 *   The W3C facade maps them to DOMException names.
 */
export class RtcwireError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class ParseError extends RtcwireError {
  readonly offset: number;
  constructor(code: string, message: string, offset: number, options?: { cause?: unknown }) {
    super(code, `${message} (at byte ${offset})`, options);
    this.offset = offset;
  }
}

export class InvalidArgumentError extends RtcwireError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_argument', message, options);
  }
}

export class InvalidStateError extends RtcwireError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_state', message, options);
  }
}

/** True when `err` is a ParseError (optionally with the given code). */
export function isParseError(err: unknown, code?: string): err is ParseError {
  return err instanceof ParseError && (code === undefined || err.code === code);
}
