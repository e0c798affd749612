import { HardhatPluginError } from "hardhat/plugins";

/**
 * An error meant for the person at the terminal: Hardhat prints its message without a stack
 * trace and exits non-zero.
 */
export class UserError extends HardhatPluginError {
  constructor(message: string) {
    super("greengrid", message);
  }
}

/** One problem stays on one line; several are listed one per line, so each is read on its own. */
export function usageError(task: string, problems: readonly string[]): UserError {
  if (problems.length === 1) return new UserError(`${task}: invalid arguments: ${problems[0]}`);
  return new UserError(`${task}: invalid arguments\n  - ${problems.join("\n  - ")}`);
}

/** HardhatPluginError resets the prototype chain, so `instanceof UserError` cannot be used. */
export function isUserError(error: unknown): error is UserError {
  return HardhatPluginError.isHardhatPluginError(error) && error.pluginName === "greengrid";
}
