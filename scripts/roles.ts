/**
 * Which role guards each state-changing function of every GreenGrid contract, found empirically: each
 * nonpayable/payable function of the ABI is called (eth_call) from a fresh account that holds no role, with
 * zero arguments. A revert with AccessControlUnauthorizedAccount(account, role) names the guard; anything else
 * (success or another error) means the function is open to anyone (its own checks may still refuse the call).
 *
 *   npx hardhat run scripts/roles.ts                   prints the table
 *   ROLES_WRITE=1 npx hardhat run scripts/roles.ts     also writes test/security/roles.expected.json
 *
 * test/security/accessMatrix.test.ts compares the table with that file, so adding a function or changing its
 * guard fails CI until the expectation is updated on purpose.
 */
import fs from "node:fs";
import path from "node:path";
import { ZeroAddress, ZeroHash, getAddress, type BaseContract, type ParamType, type Provider } from "ethers";

/** contract name -> function signature -> guarding role name, or "open". */
export type GuardTable = Record<string, Record<string, string>>;

export const ROLES_EXPECTED_PATH = path.join(__dirname, "..", "test", "security", "roles.expected.json");
/** An address no deployment ever grants a role to. */
export const NO_ROLE_ACCOUNT = getAddress("0x00000000000000000000000000000000000dead1");
export const OPEN = "open";

/** The zero value of an ABI type: 0, false, the zero address, empty bytes, strings and arrays. */
export function zeroValue(t: ParamType): unknown {
  if (t.isArray()) return t.arrayLength > 0 ? Array.from({ length: t.arrayLength }, () => zeroValue(t.arrayChildren)) : [];
  if (t.isTuple()) return t.components.map(zeroValue);
  if (t.baseType === "address") return ZeroAddress;
  if (t.baseType === "bool") return false;
  if (t.baseType === "string") return "";
  if (t.baseType === "bytes") return "0x";
  if (t.baseType.startsWith("bytes")) return "0x" + "00".repeat(Number(t.baseType.slice(5)));
  return 0n;
}

/** Role hash -> name, from the contract's constant *_ROLE getters. */
async function roleNames(contract: BaseContract): Promise<Map<string, string>> {
  const names = new Map<string, string>([[ZeroHash, "DEFAULT_ADMIN_ROLE"]]);
  for (const f of contract.interface.fragments) {
    if (f.type !== "function") continue;
    const fn = contract.interface.getFunction((f as { format(): string }).format())!;
    if (!fn.name.endsWith("_ROLE") || fn.inputs.length !== 0 || fn.stateMutability !== "view") continue;
    const hash = (await contract.getFunction(fn.format())()) as string;
    names.set(hash, fn.name);
  }
  return names;
}

function revertData(error: unknown): string | undefined {
  const e = error as { data?: unknown; error?: { data?: unknown } };
  if (typeof e.data === "string") return e.data;
  if (typeof e.error?.data === "string") return e.error.data;
  return undefined;
}

/** The guard of every state-changing function of `contract`, keyed by signature. */
export async function guardsOf(provider: Provider, contract: BaseContract): Promise<Record<string, string>> {
  const names = await roleNames(contract);
  const to = await contract.getAddress();
  const table: Record<string, string> = {};
  const fns = contract.interface.fragments
    .filter((f) => f.type === "function")
    .map((f) => contract.interface.getFunction((f as { format(): string }).format())!)
    .filter((fn) => fn.stateMutability === "nonpayable" || fn.stateMutability === "payable")
    .sort((a, b) => a.format().localeCompare(b.format()));
  for (const fn of fns) {
    const data = contract.interface.encodeFunctionData(fn, fn.inputs.map(zeroValue));
    let guard = OPEN;
    try {
      await provider.call({ from: NO_ROLE_ACCOUNT, to, data });
    } catch (error) {
      const raw = revertData(error);
      const parsed = raw ? contract.interface.parseError(raw) : null;
      if (parsed?.name === "AccessControlUnauthorizedAccount") {
        const role = String(parsed.args[1]);
        guard = names.get(role) ?? role;
      }
    }
    table[fn.format()] = guard;
  }
  return table;
}

export async function guardTable(provider: Provider, contracts: Record<string, BaseContract>): Promise<GuardTable> {
  const table: GuardTable = {};
  for (const name of Object.keys(contracts).sort()) table[name] = await guardsOf(provider, contracts[name]);
  return table;
}

export function formatGuardTable(table: GuardTable): string {
  const rows = Object.entries(table).flatMap(([c, fns]) => Object.entries(fns).map(([fn, g]) => [c, fn, g]));
  const w = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(([c, fn, g]) => `${c.padEnd(w[0])}  ${fn.padEnd(w[1])}  ${g}`).join("\n");
}

async function main() {
  const hre = (await import("hardhat")).default;
  const { deployGreenGrid } = await import("../deploy/deployGreenGrid");
  const d = await deployGreenGrid(hre);
  const table = await guardTable(hre.ethers.provider, {
    ParticipantRegistry: d.registry,
    SettlementToken: d.token,
    EnergyEscrow: d.escrow,
    GreenCertificate: d.certificates,
    DoubleAuction: d.auction,
    ReputationMatching: d.matching,
  } as unknown as Record<string, BaseContract>);
  console.log(formatGuardTable(table));
  if (process.env.ROLES_WRITE === "1") {
    fs.writeFileSync(ROLES_EXPECTED_PATH, JSON.stringify(table, null, 2) + "\n");
    console.log(`written to ${path.relative(process.cwd(), ROLES_EXPECTED_PATH)}`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
