// Parsers for option values (commander calls them; an InvalidArgumentError becomes a usage error, exit code 2).
import { InvalidArgumentError } from 'commander';
import { normalizeDevice } from '../device';

/** An integer option with a lower bound ('--epochs 0' or '--epochs 2.5' are usage errors). */
export function intOption(min: number): (value: string) => number {
  return (value: string) => {
    if (!/^[+]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer >= ${min}.`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
}

/** A positive finite number (learning rates). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

/** A number in [0, 1). */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a number in [0, 1).');
  return n;
}

/** 'cpu', 'cuda' or 'cuda:N', canonicalized (whether the device is usable is checked when the command runs). */
export function deviceOption(value: string): string {
  try {
    return normalizeDevice(value, '--device');
  } catch {
    throw new InvalidArgumentError("expected 'cpu', 'cuda' or 'cuda:N'.");
  }
}

/** A finite number >= 0 (milliseconds, seconds). */
export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0.');
  return n;
}

/** Comma-separated integers >= 1 ('8,16,32'). */
export function intList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (!parts.every((p) => /^\d+$/.test(p) && Number(p) >= 1)) throw new InvalidArgumentError('expected comma-separated integers >= 1, e.g. 8,16.');
  return parts.map(Number);
}
