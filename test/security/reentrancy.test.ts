import hre from "hardhat";
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, encodeBytes32String, id, type BaseContract } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { DoubleAuction, EnergyEscrow, ParticipantRegistry, ReentrantToken, ReputationMatching } from "../../typechain-types";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";

/**
 * A malicious settlement token gets control only inside the escrow's token transfers (deposit, depositFor,
 * fundRewards pull with transferFrom; withdraw and sweepSurplus push with transfer): the markets never move
 * tokens themselves. From there it calls back into every function that moves value. The escrow's entry points
 * are nonReentrant; the markets' value-moving functions reach the escrow (lock, unlock, createTrade) and stop
 * at its guard. The token holds MARKET_ROLE and is a registered participant with orders, so neither a role
 * check nor a phase check is what stops it: the guard is.
 */

const MARKET_ROLE = id("MARKET_ROLE");
const UNIT = 1_000_000n;
const SELLER = 0;
const BUYER = 1;
const TICK = 10_000n;

async function registration(registry: ParticipantRegistry, name: string, settlementAccount: string, source: number) {
  return registry.interface.encodeFunctionData("register", [
    {
      displayName: name,
      meterId: encodeBytes32String(`M-${name}`),
      meterDevice: Wallet.createRandom().address,
      region: 1,
      voltageLevel: 1,
      source,
      capacityW: 10_000,
      batteryWh: 0,
      settlementAccount,
    },
  ]);
}

async function periodParams() {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    tick: TICK,
    feedInTariff: 30n * TICK,
    retailTariff: 100n * TICK,
    roundDuration: 3600,
    maxRounds: 2,
    orderCap: 16,
    margin: UNIT,
    deliveryStart: now + 7200n,
    deliveryEnd: now + 10_800n,
    settlementDeadline: now + 2n * 86_400n,
  };
}

async function cycleParams() {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    postingEnds: now + 3_600n,
    submissionEnds: now + 7_200n,
    deliveryStart: now + 10_800n,
    deliveryEnd: now + 14_400n,
    settlementDeadline: now + 86_400n,
    requestCap: 4,
    offerCap: 4,
    margin: UNIT,
  };
}

/**
 * Periods and cycles in the states each value-moving market function needs:
 * auction period 1 open and empty (placeOrder), period 2 with the token's ask (cancel), period 3 cleared
 * (two rounds, no revision) with the token's ask and a human bid (finalize); matching cycle 1 past submission
 * with a verified assignment (finalize), cycle 2 open and empty (postOffer, postRequest), cycle 3 with the
 * token's offer (cancelOffer).
 */
async function maliciousTokenWorld() {
  const [operator, buyer, outsider] = await hre.ethers.getSigners();
  const token = (await hre.ethers.deployContract("ReentrantToken")) as unknown as ReentrantToken;
  const tokenAddress = await token.getAddress();
  const d = await deployGreenGrid(hre, { Token: { tokenAddress } });
  const registry = d.registry as unknown as ParticipantRegistry;
  const escrow = d.escrow as unknown as EnergyEscrow;
  const auction = d.auction as unknown as DoubleAuction;
  const matching = d.matching as unknown as ReputationMatching;
  const escrowAddress = await escrow.getAddress();
  const act = (target: BaseContract, data: string) => target.getAddress().then((a) => token.execute(a, data));

  await escrow.connect(operator).grantRole(MARKET_ROLE, tokenAddress);
  await act(registry, await registration(registry, "Mallory", tokenAddress, 1));
  await registry.connect(buyer).register({
    displayName: "Bob",
    meterId: encodeBytes32String("M-Bob"),
    meterDevice: Wallet.createRandom().address,
    region: 1,
    voltageLevel: 1,
    source: 0,
    capacityW: 10_000,
    batteryWh: 0,
    settlementAccount: buyer.address,
  });
  await registry.connect(operator).approve(tokenAddress);
  await registry.connect(operator).approve(buyer.address);
  for (const who of [tokenAddress, buyer.address, outsider.address]) await token.mint(who, 1_000n * UNIT);
  await act(token, token.interface.encodeFunctionData("approve", [escrowAddress, 1_000n * UNIT]));
  await act(escrow, escrow.interface.encodeFunctionData("deposit", [500n * UNIT]));
  await token.connect(buyer).approve(escrowAddress, 1_000n * UNIT);
  await escrow.connect(buyer).deposit(500n * UNIT);
  await token.connect(outsider).approve(escrowAddress, 1_000n * UNIT);

  // matching cycle 1 first: it needs time to pass its posting and submission windows
  await matching.connect(operator).openCycle(await cycleParams());
  await act(matching, matching.interface.encodeFunctionData("postOffer", [1, 40n * TICK, 5_000]));
  await matching.connect(buyer).postRequest(1, 3_000, 90n * TICK);
  await time.increase(3_600);
  await matching.connect(operator).submitAssignment(1, [0]);
  await time.increase(3_600);
  for (let c = 0; c < 2; c++) await matching.connect(operator).openCycle(await cycleParams());
  await act(matching, matching.interface.encodeFunctionData("postOffer", [3, 40n * TICK, 5_000]));

  for (let p = 0; p < 3; p++) await auction.connect(operator).openPeriod(await periodParams());
  for (const period of [2, 3]) {
    await act(auction, auction.interface.encodeFunctionData("placeOrder", [period, SELLER, 5_000, 40n * TICK]));
  }
  await auction.connect(buyer).placeOrder(3, BUYER, 5_000, 90n * TICK);
  // two rounds, the second without revisions: the period is cleared and waits for finalize
  for (let round = 0; round < 2; round++) await auction.connect(operator).closeRound(3, [0], [1]);
  return { token, tokenAddress, registry, escrow, auction, matching, operator, buyer, outsider };
}
type World = Awaited<ReturnType<typeof maliciousTokenWorld>>;

interface Reentry {
  readonly call: string;
  readonly target: (w: World) => BaseContract;
  readonly data: (w: World) => Promise<string> | string;
}

const ESCROW_CALLS: [string, (w: World) => unknown[]][] = [
    ["deposit", () => [UNIT]],
    ["depositFor", (w) => [w.buyer.address, UNIT]],
    ["withdraw", () => [UNIT]],
    ["fundRewards", () => [UNIT]],
    ["sweepSurplus", () => []],
    ["lock", (w) => [w.buyer.address, UNIT]],
    ["unlock", (w) => [w.tokenAddress, UNIT]],
    ["submitReading", () => [{ tradeId: 1, side: 0, energyWh: 1, sequence: 1, chainId: 31337 }, "0x"]],
    ["submitReadings", () => [[], []]],
    ["settle", () => [1]],
    ["settleBatch", () => [[1]]],
    ["claimReward", () => [1]],
    ["claimCertificates", (w) => [1, w.tokenAddress]],
];
const ESCROW_REENTRIES: Reentry[] = ESCROW_CALLS.map(([fn, args]) => ({
  call: `EnergyEscrow.${fn}`,
  target: (w) => w.escrow,
  data: (w) => w.escrow.interface.encodeFunctionData(fn as never, args(w) as never),
}));

const MARKET_REENTRIES: Reentry[] = [
  {
    call: "EnergyEscrow.createTrade",
    target: (w) => w.escrow,
    data: async (w) => {
      const now = BigInt(await time.latest());
      return w.escrow.interface.encodeFunctionData("createTrade", [
        {
          seller: w.tokenAddress,
          buyer: w.buyer.address,
          period: 1,
          energyWh: 1_000,
          pricePerKwh: 50n * TICK,
          deliveryStart: now + 7200n,
          deliveryEnd: now + 10_800n,
          settlementDeadline: now + 86_400n,
          prepayment: UNIT,
          sellerMargin: UNIT,
          buyerMargin: UNIT,
        },
      ]);
    },
  },
  {
    call: "DoubleAuction.placeOrder (locks through escrow.lock)",
    target: (w) => w.auction,
    data: (w) => w.auction.interface.encodeFunctionData("placeOrder", [1, SELLER, 1_000, 40n * TICK]),
  },
  {
    call: "DoubleAuction.cancel (refunds through escrow.unlock)",
    target: (w) => w.auction,
    data: (w) => w.auction.interface.encodeFunctionData("cancel", [2]),
  },
  {
    call: "DoubleAuction.finalize (escrow.createTrade)",
    target: (w) => w.auction,
    data: (w) => w.auction.interface.encodeFunctionData("finalize", [3, [0], [1], 10]),
  },
  {
    call: "ReputationMatching.postOffer (escrow.lock)",
    target: (w) => w.matching,
    data: (w) => w.matching.interface.encodeFunctionData("postOffer", [2, 40n * TICK, 1_000]),
  },
  {
    call: "ReputationMatching.postRequest (escrow.lock)",
    target: (w) => w.matching,
    data: (w) => w.matching.interface.encodeFunctionData("postRequest", [2, 1_000, 90n * TICK]),
  },
  {
    call: "ReputationMatching.cancelOffer (escrow.unlock)",
    target: (w) => w.matching,
    data: (w) => w.matching.interface.encodeFunctionData("cancelOffer", [3]),
  },
  {
    call: "ReputationMatching.finalize (escrow.createTrade)",
    target: (w) => w.matching,
    data: (w) => w.matching.interface.encodeFunctionData("finalize", [1, [0], 10]),
  },
];

/** The escrow's transfers that hand control to the token, each started by an honest account. */
const TRIGGERS: { name: string; run: (w: World) => Promise<unknown> }[] = [
  { name: "withdraw (transfer out)", run: (w) => w.escrow.connect(w.buyer).withdraw(UNIT) },
  { name: "deposit (transferFrom in)", run: (w) => w.escrow.connect(w.buyer).deposit(UNIT) },
  { name: "depositFor (transferFrom in)", run: (w) => w.escrow.connect(w.outsider).depositFor(w.buyer.address, UNIT) },
  { name: "fundRewards (transferFrom in)", run: (w) => w.escrow.connect(w.outsider).fundRewards(UNIT) },
];

async function books(w: World) {
  const accounts = [w.tokenAddress, w.buyer.address, w.outsider.address];
  return {
    held: await w.token.balanceOf(await w.escrow.getAddress()),
    free: await Promise.all(accounts.map((a) => w.escrow.freeBalanceOf(a))),
    totalFree: await w.escrow.totalFree(),
    trades: await w.escrow.tradeCount(),
    orders: await Promise.all([1, 2, 3].map((p) => w.auction.orderCount(p))),
  };
}

describe("security: reentrancy through a malicious token into every value-moving function", () => {
  it("each trigger works when the token does not reenter (the control case)", async () => {
    const w = await loadFixture(maliciousTokenWorld);
    for (const t of TRIGGERS) await expect(t.run(w)).not.to.be.reverted;
  });

  for (const reentry of [...ESCROW_REENTRIES, ...MARKET_REENTRIES]) {
    it(`${reentry.call}: blocked by the escrow's guard during every token transfer, nothing moves`, async () => {
      const w = await loadFixture(maliciousTokenWorld);
      const target = await reentry.target(w).getAddress();
      for (const trigger of TRIGGERS) {
        const before = await books(w);
        await w.token.arm(target, await reentry.data(w));
        await expect(trigger.run(w), trigger.name).to.be.revertedWithCustomError(
          w.escrow,
          "ReentrancyGuardReentrantCall",
        );
        expect(await books(w), trigger.name).to.deep.equal(before);
      }
    });
  }

  it("without the hook, the token's own calls reach their targets (so the guard, not a setup error, stops them)", async () => {
    for (const reentry of MARKET_REENTRIES.filter((r) => !r.call.startsWith("EnergyEscrow"))) {
      const w = await loadFixture(maliciousTokenWorld);
      const target = await reentry.target(w).getAddress();
      await expect(w.token.execute(target, await reentry.data(w)), reentry.call).not.to.be.reverted;
    }
  });
});
