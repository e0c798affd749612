import fs from "node:fs";
import path from "node:path";
import { HDNodeWallet, JsonRpcProvider, getAddress } from "ethers";
import {
  DoubleAuction__factory,
  EnergyEscrow__factory,
  IERC20Metadata__factory,
  ParticipantRegistry__factory,
  type DoubleAuction,
  type EnergyEscrow,
  type IERC20Metadata,
  type ParticipantRegistry,
} from "../../../typechain-types";
import { CONTRACT_IDS } from "../../../src/chain/deployments";
import { readTotals, type EscrowTotals } from "../../../src/chain/escrow";
import { ANVIL_RECORD } from "./cli";
import { ANVIL_CHAIN_ID } from "./node";

/**
 * What a test reads on the anvil, straight over JSON-RPC (no task process): the contracts of the deployment
 * record and the escrow's books. A node restarted on another port needs a new view.
 */
export interface MarketView {
  readonly provider: JsonRpcProvider;
  readonly auction: DoubleAuction;
  readonly escrow: EnergyEscrow;
  readonly token: IERC20Metadata;
  readonly registry: ParticipantRegistry;
  /** anvil's unlocked accounts, index = the tasks' --from. */
  readonly accounts: readonly string[];
}

export async function marketView(url: string): Promise<MarketView> {
  const record = JSON.parse(fs.readFileSync(path.join(ANVIL_RECORD, "deployed_addresses.json"), "utf8")) as Record<
    string,
    string
  >;
  const provider = new JsonRpcProvider(url, ANVIL_CHAIN_ID, { staticNetwork: true });
  return {
    provider,
    auction: DoubleAuction__factory.connect(record[CONTRACT_IDS.auction], provider),
    escrow: EnergyEscrow__factory.connect(record[CONTRACT_IDS.escrow], provider),
    token: IERC20Metadata__factory.connect(record[CONTRACT_IDS.token], provider),
    registry: ParticipantRegistry__factory.connect(record[CONTRACT_IDS.registry], provider),
    accounts: ((await provider.send("eth_accounts", [])) as string[]).map((a) => getAddress(a)),
  };
}

export interface AccountBooks {
  readonly account: string;
  readonly free: bigint;
  readonly locked: bigint;
}

export interface EscrowBooks {
  readonly totals: EscrowTotals;
  readonly accounts: readonly AccountBooks[];
}

export async function readBooks(view: MarketView, accounts: readonly string[]): Promise<EscrowBooks> {
  const totals = await readTotals(view.escrow, view.token);
  const books = await Promise.all(
    accounts.map(async (account) => ({
      account,
      free: await view.escrow.freeBalanceOf(account),
      locked: await view.escrow.lockedBalanceOf(account),
    })),
  );
  return { totals, accounts: books };
}

/**
 * Why the books do not add up, or null: the escrow holds exactly free + locked + reward pool, and the accounts
 * given hold every free and locked unit (no balance anywhere else).
 */
export function booksProblem(books: EscrowBooks): string | null {
  const { tokenBalance, totalFree, totalLocked, rewardPool } = books.totals;
  if (tokenBalance !== totalFree + totalLocked + rewardPool) {
    return `escrow holds ${tokenBalance}, owes free ${totalFree} + locked ${totalLocked} + pool ${rewardPool}`;
  }
  const free = books.accounts.reduce((s, a) => s + a.free, 0n);
  const locked = books.accounts.reduce((s, a) => s + a.locked, 0n);
  if (free !== totalFree || locked !== totalLocked) {
    return `accounts hold free ${free} / locked ${locked}, the escrow counts ${totalFree} / ${totalLocked}`;
  }
  return null;
}

/** The key of anvil's (and Hardhat's) default account `index`: the meter devices sign their readings with it. */
export function defaultAccountWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(
    "test test test test test test test test test test test junk",
    undefined,
    `m/44'/60'/0'/0/${index}`,
  );
}
