import type { ConfigurableTaskDefinition } from "hardhat/types";
import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { HardhatError } from "hardhat/internal/core/errors";
import { isUserError } from "./errors";

/** Flags every task shares. */
export interface CommonArgs {
  json: boolean;
}

export interface SendArgs extends CommonArgs {
  from: string;
  dryRun: boolean;
}

export function withJson<T extends ConfigurableTaskDefinition>(t: T): T {
  return t.addFlag("json", "Print machine-readable JSON") as T;
}

export function withSend<T extends ConfigurableTaskDefinition>(
  t: T,
  fromDescription = "Acting account: index or address among the network's accounts",
): T {
  return withJson(t)
    .addOptionalParam("from", fromDescription, "0")
    .addFlag("dryRun", "Validate and simulate, print the transaction, send nothing") as T;
}

/**
 * Keyed by the runtime's artifacts, not by `hre`: Hardhat hands every task action a fresh Proxy of the
 * runtime, so a cache keyed by `hre` would miss on every nested task.
 */
const compiled = new WeakSet<object>();

/** Tasks read artifacts (ABIs, error selectors); make sure they exist, once per process. */
export async function ensureCompiled(hre: HardhatRuntimeEnvironment): Promise<void> {
  if (compiled.has(hre.artifacts)) return;
  await hre.run(TASK_COMPILE, { quiet: true });
  compiled.add(hre.artifacts);
}

/** The actions made by cliAction: how the project's tasks are told apart from Hardhat's and its plugins'. */
const cliActions = new WeakSet<object>();

export function isCliAction(action: unknown): boolean {
  return typeof action === "function" && cliActions.has(action);
}

/**
 * Wraps a task action so that, when the task is the command the person typed, a UserError prints
 * as one plain message and exit code 1 (Hardhat would add a stack trace on machines without a
 * display). Hardhat's own errors raised while the task runs (HH108, a node that cannot be reached)
 * are messages for the person too and print the same way. Nested inside another task or a test,
 * the error is rethrown for the caller to handle.
 */
export function cliAction<A>(name: string, action: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  const wrapped = async (args: A, hre: HardhatRuntimeEnvironment): Promise<void> => {
    try {
      await action(args, hre);
    } catch (error) {
      const forPerson = isUserError(error) || HardhatError.isHardhatError(error);
      if (!forPerson || !process.argv.includes(name)) throw error;
      // Hardhat wraps some of its messages over two lines (HH108); a UserError's lines are one problem each
      const message = isUserError(error) ? error.message : error.message.replace(/\s*\n\s*/g, " ");
      console.error(`Error: ${message}`);
      process.exitCode = 1;
    }
  };
  cliActions.add(wrapped);
  return wrapped;
}
