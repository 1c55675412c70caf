/**
 * A small, strict option parser shared by all commands: `--name value`, `--name=value`, boolean
 * `--flag`, and positionals. Unknown options and missing values raise `UsageError`.
 */
import { UsageError } from './command.js';

export interface OptionSpec {
  /** `true` for options taking a value (`--timeout 500`), `false` for flags (`--json`). */
  readonly [name: string]: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
}

export function parseArgs(args: readonly string[], spec: OptionSpec): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const takesValue = spec[name];
    if (takesValue === undefined) throw new UsageError(`unknown option --${name}`);
    if (!takesValue) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
    values.set(name, value);
  }
  return { positionals, values, flags };
}

/** A non-negative integer option, or `fallback` when absent. */
export function intOption(parsed: ParsedArgs, name: string, fallback: number, max = 2 ** 31): number {
  const text = parsed.values.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max)
    throw new UsageError(`--${name} must be an integer from 0 to ${max}, got '${text}'`);
  return n;
}

/** A value that must be one of `choices`. */
export function choiceOption<T extends string>(
  parsed: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = parsed.values.get(name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join('|')}, got '${text}'`);
  }
  return text as T;
}

/** Split `host:port` / `[v6]:port`; the host may be a name. */
export function parseHostPort(text: string | undefined, what = 'HOST:PORT'): { host: string; port: number } {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`expected ${what}, got '${text}'`);
  return { host: m[1] as string, port };
}
