import { AbiCoder, decodeBytes32String, id, type JsonFragment, type JsonFragmentType } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ENUM_LABELS, ROLE_NAMES } from "./enums";

export interface DecodedRevert {
  readonly name: string;
  readonly args: Readonly<Record<string, string>>;
  /** e.g. `RegistryInvalidTransition(account=0x…, from=Approved, to=Approved)` */
  readonly text: string;
}

interface ErrorDef {
  readonly name: string;
  readonly inputs: readonly JsonFragmentType[];
}

const BUILTIN: Record<string, ErrorDef> = {
  "0x08c379a0": { name: "Error", inputs: [{ name: "message", type: "string" }] },
  "0x4e487b71": { name: "Panic", inputs: [{ name: "code", type: "uint256" }] },
};

/** Decodes revert data against every custom error the project declares (and its libraries'). */
export class RevertDecoder {
  private readonly bySelector = new Map<string, ErrorDef>(Object.entries(BUILTIN));

  constructor(abis: readonly (readonly JsonFragment[])[]) {
    for (const abi of abis) {
      for (const item of abi) {
        if (item.type !== "error" || !item.name) continue;
        const inputs = item.inputs ?? [];
        const signature = `${item.name}(${inputs.map(canonicalType).join(",")})`;
        this.bySelector.set(id(signature).slice(0, 10), { name: item.name, inputs });
      }
    }
  }

  decode(data: string): DecodedRevert | null {
    const def = this.bySelector.get(data.slice(0, 10).toLowerCase());
    if (!def) return null;
    try {
      const values = AbiCoder.defaultAbiCoder().decode(def.inputs.map(canonicalType), "0x" + data.slice(10));
      const args: Record<string, string> = {};
      def.inputs.forEach((input, i) => {
        args[input.name || `arg${i}`] = formatValue(input, values[i]);
      });
      const list = Object.entries(args).map(([k, v]) => `${k}=${v}`);
      return { name: def.name, args, text: `${def.name}(${list.join(", ")})` };
    } catch {
      return null;
    }
  }

  /** A one-line human explanation of any error thrown by a call or transaction. */
  describe(error: unknown): string {
    const data = findRevertData(error);
    const decoded = data ? this.decode(data) : null;
    if (decoded) return `reverted with ${decoded.text}`;
    if (data === "0x") return "reverted without a reason";
    const message = error instanceof Error ? error.message : String(error);
    const custom = /reverted with custom error '([^']+)'/.exec(message);
    if (custom) return `reverted with ${custom[1]}`;
    return message.split("\n")[0];
  }
}

function canonicalType(input: JsonFragmentType): string {
  const type = input.type ?? "";
  if (!type.startsWith("tuple")) return type;
  return `(${(input.components ?? []).map(canonicalType).join(",")})${type.slice("tuple".length)}`;
}

function formatValue(input: JsonFragmentType, value: unknown): string {
  if (input.type === "bytes32" && typeof value === "string") {
    const text = shortText(value);
    if (text !== null) return JSON.stringify(text);
  }
  const labels = input.internalType ? ENUM_LABELS[input.internalType] : undefined;
  if (labels && typeof value === "bigint") return labels[Number(value)] ?? value.toString();
  if (typeof value === "string" && ROLE_NAMES[value]) return ROLE_NAMES[value];
  return typeof value === "bigint" || typeof value === "string" ? value.toString() : JSON.stringify(value);
}

/** A bytes32 that holds a short printable string (a meter id, a region name), as that string; else null. */
function shortText(value: string): string | null {
  try {
    const text = decodeBytes32String(value);
    return text !== "" && /^[\x20-\x7e]+$/.test(text) ? text : null;
  } catch {
    return null;
  }
}

/**
 * The node refused a transaction because its sender cannot pay the gas: ethers' INSUFFICIENT_FUNDS, or the
 * node's own words (geth and anvil: "insufficient funds", Hardhat: "doesn't have enough funds").
 */
export function isInsufficientFunds(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e?.code === "INSUFFICIENT_FUNDS") return true;
  return typeof e?.message === "string" && /insufficient funds|doesn't have enough funds/i.test(e.message);
}

/** Revert data hides at different depths depending on the provider; look a few levels down. */
export function findRevertData(error: unknown, depth = 0): string | null {
  if (depth > 6 || error === null || typeof error !== "object") return null;
  const e = error as Record<string, unknown>;
  const data = e.data;
  if (typeof data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(data)) return data;
  if (data && typeof data === "object") {
    const nested = (data as Record<string, unknown>).data;
    if (typeof nested === "string" && nested.startsWith("0x")) return nested;
  }
  for (const key of ["error", "info", "cause", "parent"]) {
    const found = findRevertData(e[key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** Keyed by the runtime's artifacts: every task action receives its own Proxy of `hre`. */
const decoders = new WeakMap<object, RevertDecoder>();

/** A decoder over every compiled artifact of the project, built once per runtime. */
export async function revertDecoder(hre: HardhatRuntimeEnvironment): Promise<RevertDecoder> {
  const cached = decoders.get(hre.artifacts);
  if (cached) return cached;
  const names = await hre.artifacts.getAllFullyQualifiedNames();
  const abis = await Promise.all(names.map(async (n) => (await hre.artifacts.readArtifact(n)).abi as JsonFragment[]));
  const decoder = new RevertDecoder(abis);
  decoders.set(hre.artifacts, decoder);
  return decoder;
}
