import type { Files } from "./world";

/** One wrong command line: what a person typed after `npx hardhat <task>`, and what the refusal must say. */
export interface MalformedCase {
  readonly task: string;
  /** A function when the words name a file of the run's temporary folder. */
  readonly argv: readonly string[] | ((files: Files) => readonly string[]);
  /** The flag, the value, the state or the decoded contract error the message must name. */
  readonly message: RegExp;
  /** Run while no deployment is known on the network. */
  readonly undeployed?: boolean;
  /** Accounts (indices) left without ether to pay for gas. */
  readonly noGas?: readonly number[];
}

export function refuse(
  task: string,
  argv: MalformedCase["argv"],
  message: RegExp,
  options: { undeployed?: boolean; noGas?: readonly number[] } = {},
): MalformedCase {
  return { task, argv, message, ...options };
}

/** `valid` with `flag` set to `value`: replaced where `valid` has it, added where not. */
export function withFlag(valid: readonly string[], flag: string, value: string): string[] {
  const i = valid.indexOf(flag);
  return i < 0 ? [...valid, flag, value] : valid.map((w, j) => (j === i + 1 ? value : w));
}

const NOT_OURS = "0x000000000000000000000000000000000000dEaD";

/**
 * The mistakes every task shares, made around `valid`, flag/value pairs that pass Hardhat's parser and the task's
 * own flag checks (the chain may still refuse them): an unknown flag, a stray word, a repeated flag, each
 * required flag left out, the last flag left without its value; for a task that sends, a --from that is no
 * account, out of range, or not ours to sign with; for a task that reads the chain, a network where nothing is
 * deployed.
 */
export function commonMistakes(
  task: string,
  valid: readonly string[],
  { required = [], sends = false, chain = true }: { required?: readonly string[]; sends?: boolean; chain?: boolean },
): MalformedCase[] {
  const cases: MalformedCase[] = [
    refuse(task, [...valid, "--bogus", "1"], /Unrecognized param --bogus/),
    refuse(task, [...valid, "stray"], /Unrecognized positional argument stray/),
  ];
  if (valid.length >= 2)
    cases.push(refuse(task, [...valid, valid[0], valid[1]], new RegExp(`Repeated parameter ${valid[0]}\\b`)));
  for (const flag of required) {
    const i = valid.indexOf(flag);
    const without = i < 0 ? valid : [...valid.slice(0, i), ...valid.slice(i + 2)];
    cases.push(refuse(task, without, new RegExp(`'${flag}' parameter of task '${task}' expects a value`)));
  }
  const last = valid.length >= 2 && valid[valid.length - 2].startsWith("--") ? valid[valid.length - 2] : undefined;
  if (last)
    cases.push(refuse(task, valid.slice(0, -1), new RegExp(`'${last}' parameter of task '${task}' expects a value`)));
  if (sends) {
    cases.push(
      refuse(task, withFlag(valid, "--from", "alice"), /--from "alice" is neither an account index nor an address/),
      refuse(task, withFlag(valid, "--from", "20"), /--from 20: network "hardhat" has 20 accounts \(0\.\.19\)/),
      refuse(task, withFlag(valid, "--from", NOT_OURS), /--from 0x0{36}dEaD is not among the accounts configured/),
    );
  }
  if (chain) cases.push(refuse(task, valid, /Nothing is deployed on network "hardhat"/, { undeployed: true }));
  return cases;
}
