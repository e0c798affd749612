import fs from "node:fs";
import path from "node:path";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, getAddress } from "ethers";
import { parseIntegerArg, UINT64_MAX, type Problems } from "../src/cli/args";
import { UserError, usageError } from "../src/cli/errors";
import { outputFileProblem, readJsonArg } from "../src/cli/files";
import { printJson, toJson } from "../src/cli/output";
import { reportSend } from "../src/cli/report";
import { cliAction, ensureCompiled, withJson, withSend, type CommonArgs, type SendArgs } from "../src/cli/task";
import {
  encodeReading,
  escrowAt,
  isReadingRecorded,
  readTrade,
  recoverReadingSigner,
  signReading,
  type TypedDataSigner,
} from "../src/chain/escrow";
import { registryAt } from "../src/chain/registry";
import { simulateAndSend } from "../src/chain/send";
import { resolveSigner } from "../src/chain/signers";
import {
  METER_SIDES,
  SIDE_INDEX,
  batchSequenceProblems,
  parseReadingFile,
  toReadingFile,
  type MeterSide,
  type SignedReading,
} from "../src/core/meter";
import type { TradeRecord } from "../src/core/settlement";
import type { EnergyEscrow, ParticipantRegistry } from "../typechain-types";

/**
 * Meter readings: a meter device signs (meter:sign, with its own key; nothing is sent), and anyone relays the
 * signed JSON to the escrow (meter:submit). The signature, not the sender, is what the escrow checks.
 */

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

function partyOf(trade: TradeRecord, side: number): string {
  return side === SIDE_INDEX.provider ? trade.seller : trade.buyer;
}

/** Why the escrow would refuse a reading of `side` for `tradeId` signed by `device`, or null. */
async function readingProblem(
  escrow: EnergyEscrow,
  registry: ParticipantRegistry,
  tradeId: bigint,
  side: number,
  device: string,
): Promise<string | null> {
  const trade = await readTrade(escrow, tradeId);
  if (trade.status === "None") return `trade ${tradeId} does not exist (there are ${await escrow.tradeCount()} trades)`;
  if (trade.status === "Settled") return `trade ${tradeId} is already settled`;
  const expected = await registry.meterDeviceOf(partyOf(trade, side));
  if (getAddress(expected) !== getAddress(device)) {
    return (
      `${device} is not the ${METER_SIDES[side]} meter of trade ${tradeId}: the ` +
      `${side === 0 ? "seller" : "buyer"}'s meter device is ${expected}`
    );
  }
  return null;
}

interface SignArgs extends CommonArgs {
  trade: string;
  side: string;
  energyWh: string;
  sequence?: string;
  key?: string;
  from?: string;
  out?: string;
}

withJson(
  task("meter:sign", "Sign a meter reading with the meter device's key (EIP-712); writes JSON to --out or stdout"),
)
  .addParam("trade", "Trade id")
  .addParam("side", "provider (the seller's meter, rho) or user (the buyer's meter, gamma)")
  .addParam("energyWh", "Energy of this trade measured so far (cumulative), in Wh")
  .addOptionalParam("sequence", "Sequence number (default: the device's last accepted sequence + 1)")
  .addOptionalParam("key", "The meter device's private key, 0x + 64 hex digits (or use --from)")
  .addOptionalParam("from", "The meter device as an account index or address of this network (instead of --key)")
  .addOptionalParam("out", "Write the signed reading to this file (default: print it)")
  .setAction(
    cliAction("meter:sign", async (args: SignArgs, hre) => {
      const problems: Problems = [];
      const tradeId = parseIntegerArg("--trade", args.trade, problems, { min: 1n });
      const sideName = String(args.side ?? "").toLowerCase() as MeterSide;
      if (!METER_SIDES.includes(sideName))
        problems.push(`--side must be provider or user (got ${JSON.stringify(args.side ?? "")})`);
      const energyWh = parseIntegerArg("--energy-wh", args.energyWh, problems, { max: UINT64_MAX });
      const sequenceGiven = args.sequence !== undefined;
      const sequenceArg = sequenceGiven
        ? parseIntegerArg("--sequence", args.sequence, problems, { min: 1n, max: UINT64_MAX })
        : 0n;
      if ((args.key === undefined) === (args.from === undefined)) problems.push("give exactly one of --key or --from");
      if (args.key !== undefined && !PRIVATE_KEY.test(args.key.trim()))
        problems.push("--key must be a private key: 0x followed by 64 hex digits");
      const outProblem = args.out === undefined ? null : outputFileProblem("--out", args.out);
      if (outProblem) problems.push(outProblem);
      if (problems.length) throw usageError("meter:sign", problems);

      await ensureCompiled(hre);
      const signer: TypedDataSigner = args.key
        ? new Wallet(args.key.trim())
        : await resolveSigner(hre, args.from!, "--from");
      const device = await signer.getAddress();
      const escrow = await escrowAt(hre);
      const side = SIDE_INDEX[sideName];
      const problem = await readingProblem(escrow, await registryAt(hre), tradeId, side, device);
      if (problem)
        throw new UserError(`meter:sign: ${problem}; the escrow would refuse this reading. Nothing was signed.`);
      const last = await escrow.lastSequence(device);
      const sequence = sequenceGiven ? sequenceArg : last + 1n;
      if (sequence <= last) {
        throw new UserError(
          `meter:sign: --sequence ${sequence} is not above ${last}, the last sequence the escrow accepted from ${device}. Nothing was signed.`,
        );
      }
      const chainId = (await hre.ethers.provider.getNetwork()).chainId;
      const signed = await signReading(signer, await escrow.getAddress(), {
        tradeId,
        side,
        energyWh,
        sequence,
        chainId,
      });
      const file = toReadingFile(signed);
      if (!args.out) return console.log(toJson(file));
      fs.writeFileSync(args.out, toJson(file) + "\n");
      if (args.json) return printJson({ out: args.out, ...file });
      console.log(
        `Signed the ${sideName} reading of trade ${tradeId}: ${energyWh} Wh, sequence ${sequence}, by ${device}; written to ${args.out}`,
      );
    }),
  );

interface SubmitArgs extends SendArgs {
  file: string;
}

/** Checks a parsed reading file against the chain: right escrow and chain, genuine signatures, right meters. */
async function chainProblems(hre: HardhatRuntimeEnvironment, escrow: EnergyEscrow, readings: readonly SignedReading[]) {
  const problems: string[] = [];
  const escrowAddress = await escrow.getAddress();
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const registry = await registryAt(hre);
  for (const [i, r] of readings.entries()) {
    const at = readings.length > 1 ? `entry ${i}` : "the reading";
    if (getAddress(r.escrow) !== escrowAddress) {
      problems.push(`${at} was signed for the escrow at ${r.escrow}; this network's escrow is ${escrowAddress}`);
      continue;
    }
    if (r.reading.chainId !== chainId) {
      problems.push(
        `${at} was signed for chain ${r.reading.chainId}; network "${hre.network.name}" is chain ${chainId}`,
      );
      continue;
    }
    const recovered = recoverReadingSigner(escrowAddress, chainId, r.reading, r.signature);
    if (recovered !== getAddress(r.signer)) {
      problems.push(
        `${at}: the signature was made by ${recovered}, not by the signer ${r.signer} it names (altered or forged)`,
      );
      continue;
    }
    const problem = await readingProblem(escrow, registry, r.reading.tradeId, r.reading.side, recovered);
    if (problem) {
      problems.push(`${at}: ${problem}`);
      continue;
    }
    const last = await escrow.lastSequence(recovered);
    if (r.reading.sequence <= last)
      problems.push(
        `${at}: sequence ${r.reading.sequence} was already used (the device's last accepted sequence is ${last})`,
      );
  }
  return problems;
}

withSend(
  task("meter:submit", "Relay signed meter readings (from meter:sign) to the escrow"),
  "Relaying account (pays gas)",
)
  .addParam("file", "JSON file holding one signed reading or an array of up to 50")
  .setAction(
    cliAction("meter:submit", async (args: SubmitArgs, hre) => {
      if (!args.file) throw usageError("meter:submit", ["--file is required"]);
      const parsed = parseReadingFile(readJsonArg({ task: "meter:submit", what: "--file", sends: true }, args.file));
      const problems = parsed.problems.length ? parsed.problems : batchSequenceProblems(parsed.readings);
      if (problems.length) throw usageError("meter:submit", problems);

      await ensureCompiled(hre);
      const relayer = await resolveSigner(hre, args.from);
      const escrow = await escrowAt(hre, relayer);
      const chainId = (await hre.ethers.provider.getNetwork()).chainId;
      const recorded = await Promise.all(parsed.readings.map((r) => isReadingRecorded(escrow, chainId, r)));
      const pending = parsed.readings.filter((_, i) => !recorded[i]);
      if (pending.length === 0) {
        const count = parsed.readings.length;
        if (args.json) return printJson({ dryRun: args.dryRun, alreadyRecorded: count, transactions: [] });
        return console.log(`All ${count} reading(s) in ${args.file} are already recorded on chain. Nothing was sent.`);
      }
      const invalid = await chainProblems(hre, escrow, pending);
      if (invalid.length) throw usageError("meter:submit", [...invalid, "nothing was sent"]);

      const readings = pending.map((r) => encodeReading(r.reading));
      const signatures = pending.map((r) => r.signature);
      const single = readings.length === 1;
      const result = await simulateAndSend(
        hre,
        escrow,
        single ? "submitReading" : "submitReadings",
        single ? [readings[0], signatures[0]] : [readings, signatures],
        { label: "meter:submit", dryRun: args.dryRun },
      );
      const what = pending
        .map((r) => `trade ${r.reading.tradeId} ${METER_SIDES[r.reading.side]} ${r.reading.energyWh} Wh`)
        .join("; ");
      const skipped = parsed.readings.length - pending.length;
      const already = skipped ? `; ${skipped} already recorded, not sent again` : "";
      reportSend(args, result, `Submitted ${readings.length} reading${single ? "" : "s"} (${what})${already}`);
    }),
  );
