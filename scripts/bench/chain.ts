/**
 * Transaction plumbing for the benchmark on the in-process Hardhat network: deterministic funded
 * wallets, and bulk sending (automine off, many transactions per block, receipts in call order).
 * Gas is a property of each transaction (EIP-2929 access lists and EIP-2200 "original values" reset
 * per transaction), so packing several transactions into one block does not change any gasUsed.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, keccak256, solidityPacked, toBeHex, type BaseContract } from "ethers";
import { revertDecoder } from "../../src/chain/errors";

/** Fee fields of bulk transactions: far above the base fee; the tip is 1 gwei plus a few wei (see bulk). */
const MAX_FEE_PER_GAS = 1_000n * 10n ** 9n;
const BASE_TIP = 10n ** 9n;
/** 10^24 wei per benchmark wallet: gas for any number of transactions at MAX_FEE_PER_GAS. */
const WALLET_BALANCE = toBeHex(10n ** 24n);

export interface RpcReceipt {
  readonly transactionHash: string;
  readonly status: string;
  readonly gasUsed: string;
  readonly blockNumber: string;
  readonly logs: readonly { readonly address: string; readonly topics: readonly string[]; readonly data: string }[];
}

/** One transaction to send: a wallet we hold the key of, or an account the node has unlocked. */
export interface Call {
  readonly from: Wallet | string;
  readonly to: string;
  readonly data: string;
  readonly gasLimit: bigint;
  /** Shown when the transaction reverts. */
  readonly label: string;
}

/** `count` wallets from a fixed seed: the same seed always gives the same keys. */
export function deterministicWallets(seed: string, count: number, first = 0): Wallet[] {
  return Array.from(
    { length: count },
    (_, k) => new Wallet(keccak256(solidityPacked(["string", "uint256"], [`greengrid bench ${seed}`, first + k]))),
  );
}

/** calldata of `method(args)` on `contract`. */
export function encode(contract: BaseContract, method: string, args: readonly unknown[]): string {
  return contract.interface.encodeFunctionData(method, args);
}

export class BenchChain {
  private chainId = 0n;

  constructor(readonly hre: HardhatRuntimeEnvironment) {}

  private rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.hre.network.provider.send(method, params) as Promise<T>;
  }

  async init(): Promise<void> {
    this.chainId = BigInt(await this.rpc<string>("eth_chainId"));
  }

  async fund(addresses: readonly string[]): Promise<void> {
    for (const address of addresses) await this.rpc("hardhat_setBalance", [address, WALLET_BALANCE]);
  }

  async latestTimestamp(): Promise<number> {
    const block = await this.rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
    return Number(block.timestamp);
  }

  /** The next block is mined at `timestamp` (it must be later than the latest block). */
  async mineAt(timestamp: number): Promise<void> {
    await this.rpc("evm_setNextBlockTimestamp", [timestamp]);
    await this.rpc("evm_mine");
  }

  async receipt(hash: string): Promise<RpcReceipt> {
    const receipt = await this.rpc<RpcReceipt | null>("eth_getTransactionReceipt", [hash]);
    if (receipt === null) throw new Error(`no receipt for ${hash}`);
    return receipt;
  }

  /**
   * Sends every call with automine off, mines blocks until all are included, and returns their
   * receipts in call order. Calls of one sender keep their order (consecutive nonces). Throws with
   * the decoded revert reason if any call failed. Blocks hold the calls in call order, so order
   * indices and everything derived from them are the same on every run.
   */
  async bulk(calls: readonly Call[], { allowFailure = false } = {}): Promise<RpcReceipt[]> {
    if (calls.length === 0) return [];
    const nonces = new Map<string, number>();
    const addressOf = (from: Wallet | string) => (typeof from === "string" ? from : from.address);
    for (const call of calls) {
      const address = addressOf(call.from);
      if (!nonces.has(address)) {
        nonces.set(address, Number(await this.rpc<string>("eth_getTransactionCount", [address, "pending"])));
      }
    }
    await this.rpc("evm_setAutomine", [false]);
    const hashes: string[] = [];
    try {
      // Signing runs in JS; the node validates each transaction into its mempool. Sending in
      // chunks overlaps the two without flooding the event loop.
      const CHUNK = 64;
      for (let start = 0; start < calls.length; start += CHUNK) {
        const chunk = calls.slice(start, start + CHUNK).map((call, k) => {
          const address = addressOf(call.from);
          const nonce = nonces.get(address)!;
          nonces.set(address, nonce + 1);
          // The mempool orders by tip: a tip falling by 1 wei per call keeps the blocks in call order.
          return this.sendOne(call, nonce, BASE_TIP + BigInt(calls.length - start - k));
        });
        hashes.push(...(await Promise.all(chunk)));
      }
      // Mine until the mempool is empty: each block takes what its gas limit allows.
      for (let guard = 0; guard < calls.length + 10; guard++) {
        const pending = await this.rpc<string>("eth_getBlockTransactionCountByNumber", ["pending"]);
        if (Number(pending) === 0) break;
        await this.rpc("evm_mine");
      }
    } finally {
      await this.rpc("evm_setAutomine", [true]);
    }
    const receipts: RpcReceipt[] = [];
    for (const [k, hash] of hashes.entries()) {
      const receipt = await this.receipt(hash);
      if (receipt.status !== "0x1" && !allowFailure)
        throw new Error(`${calls[k].label} reverted: ${await this.whyFailed(calls[k])}`);
      receipts.push(receipt);
    }
    return receipts;
  }

  /** Sends one call in a block of its own and returns its receipt; throws with the decoded reason on revert. */
  async send(call: Call): Promise<RpcReceipt> {
    const [receipt] = await this.bulk([call]);
    return receipt;
  }

  /**
   * Sends one call; returns the receipt, or null when it ran out of gas (used its whole limit).
   * Any other failure throws with the decoded reason.
   */
  async sendUnlessOutOfGas(call: Call): Promise<RpcReceipt | null> {
    const [receipt] = await this.bulk([call], { allowFailure: true });
    if (receipt.status === "0x1") return receipt;
    if (BigInt(receipt.gasUsed) >= call.gasLimit) return null;
    throw new Error(`${call.label} reverted: ${await this.whyFailed(call)}`);
  }

  async snapshot(): Promise<string> {
    return this.rpc<string>("evm_snapshot");
  }

  /** Back to the state of `id`; the snapshot is used up (take a new one to return again). */
  async revert(id: string): Promise<void> {
    if (!(await this.rpc<boolean>("evm_revert", [id]))) throw new Error(`evm_revert ${id} failed`);
  }

  private async sendOne(call: Call, nonce: number, tip: bigint): Promise<string> {
    const tx = {
      to: call.to,
      data: call.data,
      gasLimit: call.gasLimit,
      nonce,
      chainId: this.chainId,
      type: 2,
      maxFeePerGas: MAX_FEE_PER_GAS,
      maxPriorityFeePerGas: tip,
    };
    if (typeof call.from !== "string") {
      return this.rpc<string>("eth_sendRawTransaction", [await call.from.signTransaction(tx)]);
    }
    return this.rpc<string>("eth_sendTransaction", [
      {
        from: call.from,
        to: tx.to,
        data: tx.data,
        gas: toBeHex(tx.gasLimit),
        nonce: toBeHex(nonce),
        maxFeePerGas: toBeHex(tx.maxFeePerGas),
        maxPriorityFeePerGas: toBeHex(tx.maxPriorityFeePerGas),
      },
    ]);
  }

  /** Replays a failed call on the latest state to name the error (a best effort: state has moved on). */
  private async whyFailed(call: Call): Promise<string> {
    const from = typeof call.from === "string" ? call.from : call.from.address;
    try {
      await this.rpc("eth_call", [{ from, to: call.to, data: call.data, gas: toBeHex(call.gasLimit) }, "latest"]);
      return "the replay on the latest state succeeds (out of gas, or state-dependent)";
    } catch (error) {
      return (await revertDecoder(this.hre)).describe(error);
    }
  }
}
