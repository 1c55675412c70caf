/**
 * Logging: off by default, enabled per namespace with `DEBUG=rtcwire:*` (or `rtcwire:ice,rtcwire:dtls`),
 * like the `debug` package. Cores receive a `Logger`; drivers decide where output goes.
 */
export interface Logger {
  readonly enabled: boolean;
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  child(suffix: string): Logger;
}

export type LogSink = (namespace: string, level: 'debug' | 'warn', message: string, fields?: Record<string, unknown>) => void;

const defaultSink: LogSink = (ns, level, message, fields) => {
  const extra = fields ? ` ${JSON.stringify(fields, bigintSafe)}` : '';
  // Logging is the one output every layer may produce; it goes to stderr only when enabled.
  console.error(`${new Date().toISOString()} ${ns} ${level === 'warn' ? 'WARN ' : ''}${message}${extra}`);
};

function bigintSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return value;
}

/** Does a `DEBUG`-style pattern list enable `namespace`? Supports `*`, `-ns` exclusions. */
export function debugEnabled(patterns: string | undefined, namespace: string): boolean {
  if (!patterns) return false;
  let on = false;
  for (const raw of patterns.split(/[\s,]+/)) {
    if (!raw) continue;
    const negate = raw.startsWith('-');
    const pattern = negate ? raw.slice(1) : raw;
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (re.test(namespace)) on = !negate;
  }
  return on;
}

class NamespaceLogger implements Logger {
  readonly enabled: boolean;
  constructor(
    private readonly namespace: string,
    private readonly patterns: string | undefined,
    private readonly sink: LogSink,
  ) {
    this.enabled = debugEnabled(patterns, namespace);
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    if (this.enabled) this.sink(this.namespace, 'debug', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    if (this.enabled) this.sink(this.namespace, 'warn', message, fields);
  }
  child(suffix: string): Logger {
    return new NamespaceLogger(`${this.namespace}:${suffix}`, this.patterns, this.sink);
  }
}

function envDebug(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.DEBUG;
}

/** A logger for `rtcwire:<namespace>`, enabled by the `DEBUG` environment variable unless `patterns` is given. */
export function createLogger(namespace: string, options: { patterns?: string; sink?: LogSink } = {}): Logger {
  const ns = namespace.startsWith('rtcwire') ? namespace : `rtcwire:${namespace}`;
  return new NamespaceLogger(ns, options.patterns ?? envDebug(), options.sink ?? defaultSink);
}

/** A logger that never logs. */
export const silentLogger: Logger = {
  enabled: false,
  debug() {},
  warn() {},
  child() {
    return silentLogger;
  },
};
