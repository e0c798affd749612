/**
 * Runs `fn` while appending what it prints with console.log to `into`, so a task that runs other tasks
 * can keep their output for a transcript instead of showing it (and keep stdout clean for --json).
 * The lines are kept even when `fn` throws. Nested captures restore each other in order.
 */
export async function collectOutput<T>(fn: () => Promise<T>, into: string[]): Promise<T> {
  const original = console.log;
  console.log = (...args: unknown[]) => {
    into.push(args.map(String).join(" "));
  };
  try {
    return await fn();
  } finally {
    console.log = original;
  }
}
