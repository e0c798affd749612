import hre from "hardhat";
import type { BaseContract } from "ethers";

/** The argument values a digest tries for each input type of a view function. */
export interface DigestDomain {
  readonly addresses: readonly string[];
  readonly uints: readonly bigint[];
  readonly bytes32s?: readonly string[];
}

type AbiInput = { type: string };
type AbiFunction = { type: string; name: string; stateMutability?: string; inputs: AbiInput[] };

/** More than two inputs would multiply the calls per digest beyond what a test can afford. */
const MAX_INPUTS = 2;

function valuesFor(type: string, domain: DigestDomain): readonly unknown[] | undefined {
  if (type === "address") return domain.addresses;
  if (/^u?int\d*$/.test(type)) return domain.uints;
  if (type === "bytes32") return domain.bytes32s ?? [];
  if (type === "bool") return [false, true];
  return undefined;
}

function combinations(lists: readonly (readonly unknown[])[]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

/**
 * The raw return data of one eth_call, or its revert data. A digest only compares, so nothing is decoded: a raw
 * call costs a fifth of an ethers contract call, which is most of what a negative case costs.
 */
async function rawCall(to: string, data: string): Promise<string> {
  try {
    return (await hre.network.provider.request({ method: "eth_call", params: [{ to, data }, "latest"] })) as string;
  } catch (error) {
    return `reverted ${(error as { data?: string }).data ?? ""}`;
  }
}

/** One view call of a named-reads digest: the contract, the function (name or signature) and its arguments. */
export type ViewRead = readonly [contract: BaseContract, fn: string, args?: readonly unknown[]];

/** The raw results of the given view calls, in order, as one string. */
export async function readsDigest(reads: readonly ViewRead[]): Promise<string> {
  const out: string[] = [];
  for (const [contract, fn, args = []] of reads) {
    out.push(await rawCall(await contract.getAddress(), contract.interface.encodeFunctionData(fn, args)));
  }
  return out.join("\n");
}

/**
 * Everything the contracts' own view functions say over the domain: every view with at most two inputs of
 * address, integer, bytes32 or bool type, called with every combination of domain values (a revert is recorded
 * as such). Two equal digests mean no state a reader can see has changed, without the test naming the fields.
 */
export async function viewDigest(contracts: readonly BaseContract[], domain: DigestDomain): Promise<string> {
  const out: Record<string, string> = {};
  for (const contract of contracts) {
    const address = await contract.getAddress();
    const views = contract.interface.fragments.filter(
      (f) => f.type === "function" && ["view", "pure"].includes((f as unknown as AbiFunction).stateMutability ?? ""),
    ) as unknown as AbiFunction[];
    for (const fn of views) {
      if (fn.stateMutability === "pure" || fn.inputs.length > MAX_INPUTS) continue;
      const lists = fn.inputs.map((i) => valuesFor(i.type, domain));
      if (lists.some((l) => l === undefined)) continue;
      const signature = `${fn.name}(${fn.inputs.map((i) => i.type).join(",")})`;
      for (const args of combinations(lists as unknown[][])) {
        const key = `${address}.${signature}[${args.map(String).join(",")}]`;
        out[key] = await rawCall(address, contract.interface.encodeFunctionData(signature, args));
      }
    }
  }
  return JSON.stringify(out);
}
