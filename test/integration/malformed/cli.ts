import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ArgumentsParser } from "hardhat/internal/cli/ArgumentsParser";
import { HardhatError } from "hardhat/internal/core/errors";
import { isUserError } from "../../../src/cli/errors";
import { captureStdout } from "../../helpers/capture";

/**
 * Runs `npx hardhat <task> <argv...>` in this process: the words are parsed by Hardhat's own command-line
 * parser (so unknown, repeated and value-less flags fail as they do in a terminal), then the task runs with
 * what the parser produced, every value a string as typed. Returns what the task printed.
 */
export async function runArgv(hre: HardhatRuntimeEnvironment, task: string, argv: readonly string[]): Promise<string> {
  const definition = hre.tasks[task];
  if (!definition) throw new Error(`no task ${task}`);
  const args = new ArgumentsParser().parseTaskArguments(definition, [...argv]);
  return captureStdout(() => hre.run(task, args));
}

/**
 * The errors a terminal shows as a message: the project's UserError (cliAction prints it as one line and exits
 * 1) and Hardhat's own (argument parsing, unreachable node). Anything else is a crash with a stack trace.
 */
export function isPersonFacing(error: unknown): error is Error {
  return isUserError(error) || HardhatError.isHardhatError(error);
}

/** Raw data a person cannot read: any 0x-hex run longer than an address (selectors + arguments, hashes, calldata). */
export const HEX_BLOB = /0x[0-9a-fA-F]{41,}/;
/** Signs of a message assembled from values that were never there, or of a stack trace. */
export const GARBLED = /\bundefined\b|\bNaN\b|\[object |^\s+at .+:\d+:\d+\)?$/m;
