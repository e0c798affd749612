/**
 * A compact one-line progress indicator on stderr for long tasks: "[demo 12s] reputation cycle 3/10".
 * Silent unless enabled (callers enable it only for a terminal and never with --json), so logs and
 * pipes stay clean and stdout is never touched.
 */
export interface Progress {
  /** Replaces the line with `label` (and "done/total" when given). */
  update(label: string, done?: number, total?: number): void;
  /** Clears the line. */
  finish(): void;
}

export function lineProgress(enabled: boolean, name: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled) return { update: () => undefined, finish: () => undefined };
  const started = Date.now();
  let shown = false;
  return {
    update(label, done, total) {
      const seconds = Math.round((Date.now() - started) / 1000);
      const count = done !== undefined && total !== undefined ? ` ${done}/${total}` : "";
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r\x1b[K${`[${name} ${seconds}s] ${label}${count}`.slice(0, width)}`);
      shown = true;
    },
    finish() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}
