import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Wallet } from "ethers";
import { collectOutput } from "../../src/cli/capture";
import type { Progress } from "../../src/cli/progress";
import { demoMeterWallet } from "../../src/chain/demo/meters";
import type { RosterMember } from "../../src/core/demo";

/**
 * What every step of the demo shares: the runtime, who is who, and a way to run tasks exactly as a
 * person types them, with their output kept in a transcript (out/transcript.txt) instead of on screen:
 * every task run is appended to `transcript` as its command line followed by what it printed.
 */
export interface DemoRunner {
  readonly hre: HardhatRuntimeEnvironment;
  readonly operator: HardhatEthersSigner;
  readonly progress: Progress;
  member(id: string): { readonly account: number; readonly address: string; readonly meter: Wallet };
  /** Participant id by lower-case address. */
  readonly names: ReadonlyMap<string, string>;
  run(task: string, args?: Record<string, unknown>): Promise<string[]>;
  /** Runs the task with --json and parses what it printed. */
  runJson<T>(task: string, args?: Record<string, unknown>): Promise<T>;
}

export async function createRunner(
  hre: HardhatRuntimeEnvironment,
  roster: readonly RosterMember[],
  progress: Progress,
  transcript: string[],
): Promise<DemoRunner> {
  const signers = await hre.ethers.getSigners();
  const members = new Map(
    roster.map((m) => [
      m.id,
      { account: m.account, address: signers[m.account].address, meter: demoMeterWallet(m.id) },
    ]),
  );
  const names = new Map([...members].map(([id, m]) => [m.address.toLowerCase(), id]));
  const run = async (task: string, args: Record<string, unknown> = {}): Promise<string[]> => {
    transcript.push(`$ npx hardhat ${task}${commandLine(args)}`);
    const lines: string[] = [];
    try {
      await collectOutput(() => hre.run(task, args), lines);
    } finally {
      transcript.push(...lines, "");
    }
    return lines;
  };
  return {
    hre,
    operator: signers[0],
    progress,
    names,
    member(id) {
      const m = members.get(id);
      if (!m) throw new RangeError(`demo: ${id} is not in the roster`);
      return m;
    },
    run,
    async runJson<T>(task: string, args: Record<string, unknown> = {}) {
      return JSON.parse((await run(task, { ...args, json: true })).join("\n")) as T;
    },
  };
}

/** {energyWh: "3000", post: true} -> " --energy-wh 3000 --post" */
function commandLine(args: Record<string, unknown>): string {
  return Object.entries(args)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => {
      const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      if (v === true) return ` ${flag}`;
      const text = String(v);
      return ` ${flag} ${/^[\w.:/@-]+$/.test(text) ? text : JSON.stringify(text)}`;
    })
    .join("");
}

/** Events of a sending task's --json output: {outcome: {events: [{name, args}]}}. */
export function eventArg(output: unknown, event: string, arg: string): string {
  const events = (output as { outcome?: { events?: { name: string; args: Record<string, string> }[] } }).outcome
    ?.events;
  const found = events?.find((e) => e.name === event);
  if (!found) throw new Error(`demo: the task emitted no ${event} event`);
  return found.args[arg];
}
