// What a CLI command writes to and how it fails: injectable output streams and the user-facing error class.
import { TensornodeError } from '../errors';

/** Where commands write; tests pass in-memory streams, main.ts passes process.stdout/stderr. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** A mistake the user can fix (bad input, missing file): printed as one line without a stack trace. */
export class CliError extends TensornodeError {}

/** Writes `line` and a newline. */
export function println(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
