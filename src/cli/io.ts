/**
 * Where a command writes. Commands never touch process.stdout directly, so tests can run
 * them in-process and the extension could reuse them.
 */
export interface CliIO {
  out(text: string): void;
  /**
   * Writes bytes as they are (bulk output built in a Buffer). Optional: without it, callers
   * write the same bytes decoded as UTF-8 through `out`.
   */
  outBytes?(bytes: Uint8Array): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress goes there only then. */
  readonly errIsTTY: boolean;
  readonly outIsTTY: boolean;
  /** Reads one line from a terminal (for confirmations); undefined when stdin is not a terminal. */
  prompt?(question: string): Promise<string>;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface CliCommand {
  name: string;
  /** Full usage text for `cachelens NAME --help`. */
  usage: string;
  /** Returns the exit code (0 success, 1 failure, 2 usage). */
  run(argv: string[], io: CliIO): Promise<number>;
}
