// Structured logs for long-running processes (the worker): one JSON object per line, so a
// log shipper or `jq` reads them without parsing prose.
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

export const jsonLogger: Logger = (level, event, fields = {}) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
};

/** An error as one short field: the message, never a stack in a log line. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);
