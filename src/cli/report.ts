import type { SendResult } from "../chain/send";
import type { CommonArgs } from "./task";
import { printJson, toJson } from "./output";

/** Prints what a sending task did (or, on a dry run, would have sent): JSON with --json, one line otherwise. */
export function reportSend(args: CommonArgs, result: SendResult, summary: string): void {
  if (args.json) return printJson({ dryRun: !result.outcome, ...result });
  if (!result.outcome) {
    const callArgs = result.plan.args.map((a) => (typeof a === "object" && a !== null ? toJson(a) : String(a)));
    console.log(`Dry run: ${summary} would be sent as ${result.plan.method}(${callArgs.join(", ")})`);
    console.log(`  from ${result.plan.from} to ${result.plan.to}; nothing was sent.`);
    return;
  }
  console.log(
    `${summary} (tx ${result.outcome.hash}, block ${result.outcome.blockNumber}, gas ${result.outcome.gasUsed})`,
  );
}

export interface SendStep {
  readonly result: SendResult;
  readonly summary: string;
}

/**
 * Reports a task that sends several transactions (e.g. approve, then deposit): one JSON document with every
 * transaction and `extra` under --json, one line per transaction otherwise.
 */
export function reportSteps(args: CommonArgs, steps: readonly SendStep[], extra: Record<string, unknown> = {}): void {
  if (args.json) {
    return printJson({
      dryRun: steps.some((s) => !s.result.outcome),
      transactions: steps.map((s) => s.result),
      ...extra,
    });
  }
  for (const step of steps) reportSend({ json: false }, step.result, step.summary);
}
