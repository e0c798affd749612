import hre from "hardhat";
import { expect } from "chai";
import fc from "fast-check";
import { takeSnapshot, time, type SnapshotRestorer } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Wallet } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { EnergyEscrow, EscrowInspector, GreenCertificate, SettlementToken } from "../../typechain-types";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { findRevertData } from "../../src/chain/errors";
import { costUp } from "../../src/core/units";
import { CONTRACT_IDS, rememberDeployment } from "../../src/chain/deployments";
import { GEUR, MARKET_ROLE, meterWallet, registerParty, signedReading, type Party } from "../helpers/escrowFixtures";

/**
 * Stateful random action sequences against the deployed system on the in-process network. After every action:
 *   token.balanceOf(escrow) == totalFree + totalLocked + rewardPool,
 *   the per-account free and locked balances sum to the totals,
 *   every account's locked balance == its locks by each market + what its open trades hold,
 *   a reverted action changed nothing, and no revert is a Panic (overflow, underflow, division by zero).
 * Fixed seed (PROPERTY_SEED to change it), evm_snapshot / evm_revert between sequences.
 */
const SEED = Number(process.env.PROPERTY_SEED ?? 20_250_611);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const ACTIONS = 30;
const PANIC = "0x4e487b71";

interface System {
  escrow: EnergyEscrow;
  token: SettlementToken;
  certificates: GreenCertificate;
  inspector: EscrowInspector;
  operator: HardhatEthersSigner;
  markets: HardhatEthersSigner[];
  parties: Party[];
  stranger: HardhatEthersSigner;
  tracked: string[];
  marketAddresses: string[];
  stats: Record<string, { ok: number; reverted: number }>;
}

interface Model {
  /** Ids of the trades created in this sequence. */
  trades: bigint[];
}

async function setUp(): Promise<System> {
  const signers = await hre.ethers.getSigners();
  const [operator, market, p0, p1, p2, p3, otherMarket, payee, stranger] = [
    signers[0],
    signers[1],
    signers[12],
    signers[13],
    signers[14],
    signers[15],
    signers[16],
    signers[17],
    signers[18],
  ];
  const deployed = await deployGreenGrid(hre, { Escrow: { lossToleranceBps: 500, rewardPerTrade: 1_000_000 } });
  const escrow = deployed.escrow as unknown as EnergyEscrow;
  const token = deployed.token as unknown as SettlementToken;
  const certificates = deployed.certificates as unknown as GreenCertificate;
  const registry = deployed.registry as unknown as Parameters<typeof registerParty>[0];
  rememberDeployment((await hre.ethers.provider.getNetwork()).chainId, {
    [CONTRACT_IDS.escrow]: await escrow.getAddress(),
  });
  for (const m of [market, otherMarket]) await escrow.connect(operator).grantRole(MARKET_ROLE, m.address);
  const sources = ["Solar", "Wind", "Fossil", "None"] as const;
  const parties: Party[] = [];
  for (const [i, signer] of [p0, p1, p2, p3].entries()) {
    parties.push(
      await registerParty(registry, operator, signer, meterWallet(`property ${i}`), {
        source: sources[i],
        payee: i === 0 ? payee.address : signer.address,
        name: `P${i}`,
      }),
    );
  }
  const escrowAddress = await escrow.getAddress();
  for (const s of [operator, p0, p1, p2, p3, stranger]) {
    await token.connect(operator).mint(s.address, 1_000_000n * GEUR);
    await token.connect(s).approve(escrowAddress, hre.ethers.MaxUint256);
  }
  // every sequence starts with money in the escrow, so that trades can be confirmed from the first action on
  for (const p of parties) await escrow.connect(p.signer).deposit(100n * GEUR);
  // the reward pool starts empty: early rewards go unpaid and are claimed once fundRewards refills it
  const inspector = (await hre.ethers.deployContract("EscrowInspector")) as unknown as EscrowInspector;
  return {
    escrow,
    token,
    certificates,
    inspector,
    operator,
    markets: [market, otherMarket],
    parties,
    stranger,
    tracked: [...parties.map((p) => p.signer.address), payee.address, stranger.address, operator.address],
    marketAddresses: [market.address, otherMarket.address],
    stats: {},
  };
}

async function inspect(s: System) {
  return s.inspector.inspect(await s.escrow.getAddress(), await s.token.getAddress(), s.tracked, s.marketAddresses);
}

async function expectBooksBalance(s: System, label: string) {
  const r = await inspect(s);
  expect(r.tokenBalance, `${label}: balanceOf(escrow) == free + locked + pool`).to.equal(
    r.totalFree + r.totalLocked + r.rewardPool,
  );
  expect(r.sumFree, `${label}: per-account free sums to totalFree`).to.equal(r.totalFree);
  expect(r.sumLocked, `${label}: per-account locked sums to totalLocked`).to.equal(r.totalLocked);
  expect(r.lockMismatches, `${label}: locked == market locks + open trades' holdings`).to.equal(0n);
  return r;
}

/**
 * Sends; true when mined, false when it reverted with a custom error. A Panic or an empty revert fails the
 * property, and so does a revert that changed the books.
 */
async function attempt(s: System, label: string, send: () => Promise<ContractTransactionResponse>): Promise<boolean> {
  const kind = label.split("(")[0];
  const stat = (s.stats[kind] ??= { ok: 0, reverted: 0 });
  const before = (await inspect(s)).fingerprint;
  try {
    await (await send()).wait();
    stat.ok += 1;
    return true;
  } catch (error) {
    const data = findRevertData(error);
    expect(data, `${label}: the revert carries an error`).to.be.a("string");
    expect(data!.length, `${label}: the revert carries an error`).to.be.greaterThan(2);
    expect(data!.slice(0, 10), `${label}: reverted with a Panic`).to.not.equal(PANIC);
    expect((await inspect(s)).fingerprint, `${label}: a revert changed the books`).to.equal(before);
    stat.reverted += 1;
    if (process.env.PROPERTY_STATS) {
      const reason = (s.stats[`${kind} reverts ${data!.slice(0, 10)}`] ??= { ok: 0, reverted: 0 });
      reason.reverted += 1;
    }
    return false;
  }
}

type Act = (s: System, m: Model) => Promise<void>;

class Step implements fc.AsyncCommand<Model, System> {
  constructor(readonly label: string, readonly act: Act) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, s: System): Promise<void> {
    await this.act(s, m);
    await expectBooksBalance(s, this.label);
  }
  toString(): string {
    return this.label;
  }
}

/** An action that sends one transaction. */
function sending(label: string, send: (s: System, m: Model) => Promise<ContractTransactionResponse>): Step {
  return new Step(label, async (s, m) => void (await attempt(s, label, () => send(s, m))));
}

const party = fc.nat({ max: 3 });
const pct = (max: number) => fc.nat({ max });
const pickTrade = (m: Model, pick: number): bigint =>
  m.trades.length === 0 || pick % 10 === 9 ? BigInt(m.trades.length + 1) : m.trades[pick % m.trades.length];
const share = (value: bigint, percent: number) => (value * BigInt(percent)) / 100n;

/**
 * Mostly (pick % 4 != 0) aims at a trade where the action can succeed: open and in its reading window, or
 * settleable, or owing a reward; otherwise (or when there is none) any trade of the sequence, or an unknown id.
 */
async function aimTrade(s: System, m: Model, pick: number, purpose: "reading" | "settle" | "claim"): Promise<bigint> {
  if (pick % 4 !== 0) {
    const now = BigInt(await time.latest()) + 1n; // the next block's timestamp
    const fits: bigint[] = [];
    for (const id of m.trades) {
      const t = await s.escrow.trade(id);
      if (purpose === "claim") {
        if ((await s.escrow.settlementOf(id)).rewardUnpaid > 0n) fits.push(id);
        continue;
      }
      if (t.status !== 1n) continue;
      if (purpose === "reading" && t.deliveryStart <= now && now < t.settlementDeadline) fits.push(id);
      if (purpose === "settle") {
        const [provider, user] = await s.escrow.readings(id);
        if (now >= t.settlementDeadline || (provider.reported && user.reported && now >= t.deliveryEnd)) fits.push(id);
      }
    }
    if (fits.length) return fits[pick % fits.length];
  }
  return pickTrade(m, pick);
}

const deposit = fc
  .record({ p: party, amount: fc.bigInt({ min: 0n, max: 30n * GEUR }), forStranger: fc.boolean() })
  .map(({ p, amount, forStranger }) =>
    sending(`deposit(P${p}, ${amount}${forStranger ? ", for stranger" : ""})`, (s) =>
      forStranger
        ? s.escrow.connect(s.parties[p].signer).depositFor(s.stranger.address, amount)
        : s.escrow.connect(s.parties[p].signer).deposit(amount),
    ),
  );

const withdraw = fc.record({ p: party, percent: pct(120), payee: fc.boolean() }).map(({ p, percent, payee }) =>
  sending(`withdraw(P${p}${payee ? " payee" : ""}, ${percent}% of free)`, async (s) => {
    const who = payee ? s.stranger : s.parties[p].signer;
    const free = await s.escrow.freeBalanceOf(who.address);
    return s.escrow.connect(who).withdraw(share(free, percent));
  }),
);

const lock = fc.record({ m: fc.nat({ max: 1 }), p: party, percent: pct(110) }).map(({ m, p, percent }) =>
  sending(`lock(M${m}, P${p}, ${percent}% of free)`, async (s) => {
    const account = s.parties[p].signer.address;
    return s.escrow.connect(s.markets[m]).lock(account, share(await s.escrow.freeBalanceOf(account), percent));
  }),
);

const unlock = fc.record({ m: fc.nat({ max: 1 }), p: party, percent: pct(105) }).map(({ m, p, percent }) =>
  sending(`unlock(M${m}, P${p}, ${percent}% of its lock)`, async (s) => {
    const account = s.parties[p].signer.address;
    const locked = await s.escrow.lockedBy(s.markets[m].address, account);
    return s.escrow.connect(s.markets[m]).unlock(account, share(locked, percent));
  }),
);

const createTrade = fc
  .record({
    m: fc.nat({ max: 1 }),
    seller: party,
    buyer: party,
    energyWh: fc.bigInt({ min: 0n, max: 20_000n }),
    price: fc.bigInt({ min: 0n, max: 1_000_000n }),
    sellerMargin: fc.bigInt({ min: 0n, max: 3n * GEUR }),
    buyerMargin: fc.bigInt({ min: 0n, max: 3n * GEUR }),
    period: fc.integer({ min: 1, max: 3 }),
    startIn: fc.nat({ max: 120 }),
    duration: fc.integer({ min: 1, max: 1200 }),
    grace: fc.nat({ max: 2400 }),
    excess: fc.bigInt({ min: 0n, max: GEUR }),
    refund: fc.boolean(),
  })
  .map((t) => {
    const label = `createTrade(M${t.m}, P${t.seller} -> P${t.buyer}, ${t.energyWh} Wh at ${t.price}, margins ${t.sellerMargin}/${t.buyerMargin})`;
    return new Step(label, async (s, model) => {
      const market = s.markets[t.m];
      const seller = s.parties[t.seller].signer.address;
      const buyer = s.parties[t.buyer].signer.address;
      // a market locks the buyer's maximum (its bid) and refunds the excess over the cleared price afterwards
      const needBuyer = t.buyerMargin + costUp(t.energyWh, t.price) + t.excess;
      // the market confirms the order: locks both sides (a lock the parties cannot afford simply fails)
      if (t.sellerMargin > 0n)
        await attempt(s, "lock(for trade)", () => s.escrow.connect(market).lock(seller, t.sellerMargin));
      if (needBuyer > 0n) await attempt(s, "lock(for trade)", () => s.escrow.connect(market).lock(buyer, needBuyer));
      const now = BigInt(await time.latest());
      const deliveryStart = now + 1n + BigInt(t.startIn);
      const deliveryEnd = deliveryStart + BigInt(t.duration);
      const terms = {
        seller,
        buyer,
        period: BigInt(t.period),
        energyWh: t.energyWh,
        pricePerKwh: t.price,
        deliveryStart,
        deliveryEnd,
        settlementDeadline: deliveryEnd + BigInt(t.grace),
        prepayment: costUp(t.energyWh, t.price),
        sellerMargin: t.sellerMargin,
        buyerMargin: t.buyerMargin,
      };
      const id = (await s.escrow.tradeCount()) + 1n;
      if (await attempt(s, label, () => s.escrow.connect(market).createTrade(terms))) {
        model.trades.push(id);
        if (t.refund && t.excess > 0n)
          await attempt(s, "unlock(excess)", () => s.escrow.connect(market).unlock(buyer, t.excess));
      }
    });
  });

const reading = fc
  .record({
    pick: fc.nat(),
    side: fc.constantFrom("provider", "user"),
    percent: pct(130),
    replay: fc.nat({ max: 9 }),
    lower: fc.nat({ max: 9 }),
  })
  .map(
    ({ pick, side, percent, replay, lower }) =>
      new Step(`reading(#${pick}, ${side}, ${percent}% of R${replay === 0 ? ", replayed" : ""})`, async (s, m) => {
        const id = await aimTrade(s, m, pick, "reading");
        const t = await s.escrow.trade(id);
        const partyAddress = side === "provider" ? t.seller : t.buyer;
        const p = s.parties.find((x) => x.signer.address === partyAddress) ?? s.parties[pick % 4];
        const [provider, user] = await s.escrow.readings(id);
        const previous = side === "provider" ? provider.energyWh : user.energyWh;
        let energy = previous + share(t.energyWh, percent);
        if (lower === 0 && previous > 0n) energy = previous - 1n; // a meter going backwards is refused
        const last = await s.escrow.lastSequence(p.meter.address);
        const sequence = replay === 0 && last > 0n ? last : last + 1n;
        const signed = await signedReading(
          s.escrow,
          p.meter as Wallet,
          id,
          side as "provider" | "user",
          energy,
          sequence,
        );
        await attempt(s, "reading", () => s.escrow.connect(s.stranger).submitReading(signed.reading, signed.signature));
      }),
  );

const settle = fc
  .nat()
  .map((pick) =>
    sending(`settle(#${pick})`, async (s, m) =>
      s.escrow.connect(s.stranger).settle(await aimTrade(s, m, pick, "settle")),
    ),
  );

const settleBatch = fc
  .tuple(fc.nat(), fc.nat())
  .map(([a, b]) =>
    sending(`settleBatch(#${a}, #${b})`, (s, m) => s.escrow.settleBatch([pickTrade(m, a), pickTrade(m, b)])),
  );

/** A whole delivery of one open trade: to its window, both meters report (or one stays silent), then settlement. */
const deliver = fc
  .record({
    pick: fc.nat(),
    rho: pct(120),
    gamma: pct(120),
    silent: fc.constantFrom("none", "none", "none", "provider", "user", "both"),
  })
  .map(
    ({ pick, rho, gamma, silent }) =>
      new Step(`deliver(#${pick}, rho ${rho}%, gamma ${gamma}%, silent ${silent})`, async (s, m) => {
        const open: bigint[] = [];
        for (const id of m.trades) if ((await s.escrow.trade(id)).status === 1n) open.push(id);
        if (open.length === 0) return;
        const id = open[pick % open.length];
        const t = await s.escrow.trade(id);
        const travelTo = async (at: bigint) => {
          if (BigInt(await time.latest()) < at) await time.increaseTo(at);
        };
        await travelTo(t.deliveryStart);
        const [provider, user] = await s.escrow.readings(id);
        const report = async (side: "provider" | "user", previous: bigint, percent: number) => {
          const account = side === "provider" ? t.seller : t.buyer;
          const p = s.parties.find((x) => x.signer.address === account)!;
          const energy = previous + share(t.energyWh, percent);
          const last = await s.escrow.lastSequence(p.meter.address);
          const signed = await signedReading(s.escrow, p.meter as Wallet, id, side, energy, last + 1n);
          await attempt(s, "reading", () =>
            s.escrow.connect(s.stranger).submitReading(signed.reading, signed.signature),
          );
        };
        if (silent !== "provider" && silent !== "both") await report("provider", provider.energyWh, rho);
        if (silent !== "user" && silent !== "both") await report("user", user.energyWh, gamma);
        await travelTo(silent === "none" ? t.deliveryEnd : t.settlementDeadline);
        await attempt(s, "settle", () => s.escrow.connect(s.stranger).settle(id));
      }),
  );

const timeTravel = fc
  .integer({ min: 1, max: 1500 })
  .map((seconds) => new Step(`time(+${seconds}s)`, async () => void (await time.increase(seconds))));

const fundRewards = fc
  .bigInt({ min: 0n, max: 3n * GEUR })
  .map((amount) => sending(`fundRewards(${amount})`, (s) => s.escrow.connect(s.operator).fundRewards(amount)));

/** The operator tops the pool up (possibly by nothing), then someone claims a reward left unpaid. */
const claimReward = fc.record({ pick: fc.nat(), topUp: fc.bigInt({ min: 0n, max: 2n * GEUR }) }).map(
  ({ pick, topUp }) =>
    new Step(`claimReward(#${pick}, after a top-up of ${topUp})`, async (s, m) => {
      if (topUp > 0n) await attempt(s, "fundRewards", () => s.escrow.connect(s.operator).fundRewards(topUp));
      const id = await aimTrade(s, m, pick, "claim");
      await attempt(s, "claimReward", () => s.escrow.connect(s.stranger).claimReward(id));
    }),
);

const retire = fc.record({ p: party, vintage: fc.integer({ min: 1, max: 3 }), percent: pct(120) }).map(
  ({ p, vintage, percent }) =>
    new Step(`retire(P${p} or the next holder, vintage ${vintage}, ${percent}%)`, async (s) => {
      // certificates go to buyers of green energy: retire from the first party, from P${p} on, that holds some
      for (let k = 0; k < s.parties.length; k++) {
        const holder = s.parties[(p + k) % s.parties.length].signer;
        const held = await s.certificates.balanceOf(holder.address, vintage);
        if (held === 0n) continue;
        await attempt(s, "retire", () =>
          s.certificates.connect(holder).retire(vintage, share(held, percent), "property"),
        );
        return;
      }
    }),
);

const setParams = fc.record({ bps: fc.nat({ max: 10_000 }), reward: fc.bigInt({ min: 0n, max: 2n * GEUR }) }).map(
  ({ bps, reward }) =>
    new Step(`setParams(${bps} bps, reward ${reward})`, async (s) => {
      await attempt(s, "setLossToleranceBps", () => s.escrow.connect(s.operator).setLossToleranceBps(bps));
      await attempt(s, "setRewardPerTrade", () => s.escrow.connect(s.operator).setRewardPerTrade(reward));
    }),
);

const donateAndSweep = fc.bigInt({ min: 1n, max: GEUR }).map(
  (amount) =>
    new Step(`donateAndSweep(${amount})`, async (s) => {
      await (await s.token.connect(s.stranger).transfer(await s.escrow.getAddress(), amount)).wait();
      await attempt(s, "sweepSurplus", () => s.escrow.connect(s.stranger).sweepSurplus());
    }),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: deposit, weight: 4 },
  { arbitrary: withdraw, weight: 2 },
  { arbitrary: lock, weight: 2 },
  { arbitrary: unlock, weight: 2 },
  { arbitrary: createTrade, weight: 5 },
  { arbitrary: reading, weight: 6 },
  { arbitrary: settle, weight: 5 },
  { arbitrary: settleBatch, weight: 1 },
  { arbitrary: deliver, weight: 3 },
  { arbitrary: timeTravel, weight: 5 },
  { arbitrary: fundRewards, weight: 1 },
  { arbitrary: claimReward, weight: 2 },
  { arbitrary: retire, weight: 1 },
  { arbitrary: setParams, weight: 1 },
  { arbitrary: donateAndSweep, weight: 1 },
);

describe("property: escrow conservation under random action sequences", function () {
  this.timeout(1_200_000);
  let system: System;
  let snapshot: SnapshotRestorer;

  before(async () => {
    system = await setUp();
    snapshot = await takeSnapshot(); // evm_snapshot; restore() = evm_revert and a fresh snapshot
  });

  it(`${RUNS} sequences of ${ACTIONS} actions keep the books exact (seed ${SEED})`, async () => {
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: ACTIONS, maxLength: ACTIONS }), async (steps) => {
          await snapshot.restore();
          await fc.asyncModelRun(() => ({ model: { trades: [] }, real: system }), steps);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: false },
      );
    } catch (error) {
      console.error(`escrowConservation failed with seed ${SEED}; rerun with PROPERTY_SEED=${SEED}`);
      throw error;
    } finally {
      await snapshot.restore();
    }
    if (process.env.PROPERTY_STATS) console.log(system.stats);
    // the sequences must have exercised the interesting paths, not only reverted
    const ok = (kind: string) => system.stats[kind]?.ok ?? 0;
    const runs = RUNS / 200;
    expect(ok("createTrade"), "trades created").to.be.greaterThan(200 * runs);
    expect(ok("reading"), "readings accepted").to.be.greaterThan(100 * runs);
    expect(ok("settle") + ok("settleBatch"), "settlements").to.be.greaterThan(100 * runs);
    expect(ok("withdraw"), "withdrawals").to.be.greaterThan(50 * runs);
    expect(ok("unlock") + ok("unlock(excess)"), "unlocks").to.be.greaterThan(50 * runs);
    expect(ok("retire"), "certificates retired").to.be.greaterThan(0);
    expect(ok("claimReward"), "unpaid rewards claimed").to.be.greaterThan(0);
  });
});
