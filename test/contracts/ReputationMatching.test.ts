import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { AbiCoder, encodeBytes32String, keccak256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockMarketEscrow, ParticipantRegistry, ReputationMatching } from "../../typechain-types";
import { checkAssignment, GRID } from "../../src/core/matching";
import { readCycle } from "../helpers/matching";

const G = GRID;
const WAD = 10n ** 18n;
const ALPHA = 4n * 10n ** 17n; // 0.4
const MARGIN = 1_000_000n; // 1 currency unit, 6-decimal token
const costUp = (wh: bigint, p: bigint) => (wh * p + 999n) / 1000n;
const ema = (c: bigint, prev: bigint) => (ALPHA * c + (WAD - ALPHA) * prev) / WAD;
const Phase = { None: 0, Posting: 1, Submission: 2, Finalizing: 3, Finalized: 4, ReputationApplied: 5 } as const;
const hashOf = (a: readonly number[]) => keccak256(AbiCoder.defaultAbiCoder().encode(["uint16[]"], [a]));

/** Who is where: [region, voltage level]. Regions 1 North, 2 South, 3 East. */
const PEOPLE = {
  P1: [1, 1],
  P2: [1, 2],
  P3: [2, 1],
  P4: [1, 1],
  U1: [1, 1],
  U2: [1, 1],
  U3: [2, 1],
  U4: [1, 3],
  U5: [2, 1],
  U6: [3, 1],
} as const;
type Name = keyof typeof PEOPLE;

async function cycleParams(overrides: Record<string, unknown> = {}) {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    postingEnds: now + 3_600n,
    submissionEnds: now + 7_200n,
    deliveryStart: now + 10_800n,
    deliveryEnd: now + 14_400n,
    settlementDeadline: now + 86_400n,
    requestCap: 16,
    offerCap: 8,
    margin: MARGIN,
    ...overrides,
  };
}

async function deployMatching() {
  const signers = await ethers.getSigners();
  const [admin, stranger, reporter] = signers;
  const registry = (await ethers.deployContract("ParticipantRegistry", [
    admin.address,
    admin.address,
    3,
    [1, 2, 3],
    ["North", "South", "East"],
  ])) as unknown as ParticipantRegistry;
  const escrow = (await ethers.deployContract("MockMarketEscrow")) as unknown as MockMarketEscrow;
  const matching = (await ethers.deployContract("ReputationMatching", [
    admin.address,
    await registry.getAddress(),
    await escrow.getAddress(),
    ALPHA,
  ])) as unknown as ReputationMatching;
  await registry.grantRole(await registry.MARKET_ROLE(), await matching.getAddress());
  await matching.grantRole(await matching.ESCROW_ROLE(), reporter.address);
  // fees per kWh: 0.02 + 0.001/distance unit at low voltage, 0.03 + 0.002 at medium, 0.60 + 0.01 at high
  await matching.setFees(1, 20_000, 1_000);
  await matching.setFees(2, 30_000, 2_000);
  await matching.setFees(3, 600_000, 10_000);
  await matching.setRegionDistance(1, 2, 10);
  await matching.setRegionDistance(3, 1, 40);

  const who = {} as Record<Name, HardhatEthersSigner>;
  for (const [i, [name, [region, level]]] of Object.entries(PEOPLE).entries()) {
    const account = signers[3 + i];
    who[name as Name] = account;
    await registry.connect(account).register({
      displayName: name,
      meterId: encodeBytes32String(`M-${name}`),
      meterDevice: ethers.Wallet.createRandom().address,
      region,
      voltageLevel: level,
      source: 1,
      capacityW: 10_000,
      batteryWh: 0,
      settlementAccount: account.address,
    });
    await registry.connect(admin).approve(account.address);
  }
  return { registry, escrow, matching, admin, stranger, reporter, who };
}

async function toSubmission(m: ReputationMatching, cycleId: number) {
  await time.increaseTo((await m.params(cycleId)).postingEnds);
}
async function toFinalize(m: ReputationMatching, cycleId: number) {
  await time.increaseTo((await m.params(cycleId)).submissionEnds);
}

/**
 * Cycle 1 bootstraps reputation: P1, P2, P3 each sell 1 kWh and deliver 100%, 50% and 80%.
 * With alpha 0.4 and RC(0) = 0: RC = 0.4, 0.2, 0.32 (rcMicro 400000, 200000, 320000).
 */
async function withReputation() {
  const f = await deployMatching();
  const { matching, reporter, who } = f;
  await matching.openCycle(await cycleParams());
  await matching.connect(who.P1).postOffer(1, 500_000, 10_000);
  await matching.connect(who.P2).postOffer(1, 400_000, 10_000);
  await matching.connect(who.P3).postOffer(1, 449_999, 10_000);
  for (const u of [who.U1, who.U2, who.U3]) await matching.connect(u).postRequest(1, 1_000, 600_000);
  await toSubmission(matching, 1);
  await matching.submitAssignment(1, [0, 1, 2]);
  await toFinalize(matching, 1);
  await matching.finalize(1, [0, 1, 2], 100);
  const m = await matching.getAddress();
  await matching.connect(reporter).recordDelivery(1, m, 1, who.P1.address, WAD);
  await matching.connect(reporter).recordDelivery(2, m, 1, who.P2.address, WAD / 2n);
  await matching.connect(reporter).recordDelivery(3, m, 1, who.P3.address, 8n * 10n ** 17n);
  await matching.updateReputation(1);
  return f;
}

/**
 * Cycle 2 (posting still open at the end of the fixture):
 *   offers   O0 P1 0.50/kWh cap 9000 Wh (RC 0.4) | O1 P2 0.40 cap 5000 (RC 0.2, medium voltage)
 *            O2 P3 0.449999 cap 6000 (RC 0.32, South) | O3 P4 0.30 cap 10000, cancelled
 *   requests R0 U1 4000 Wh max 0.55 | R1 U2 3001 max 0.45 | R2 U3 5000 max 0.60 (South)
 *            R3 U4 1000 max 0.70 (high voltage: a 0.60 fee, no provider earns) | R4 U5 2000 max 0.50, cancelled
 */
async function cycleTwo() {
  const f = await withReputation();
  const { matching, escrow, who } = f;
  const base = {} as Record<Name, bigint>;
  for (const name of Object.keys(PEOPLE) as Name[]) base[name] = await escrow.locked(who[name].address);
  await matching.openCycle(await cycleParams());
  await matching.connect(who.P1).postOffer(2, 500_000, 9_000);
  await matching.connect(who.P2).postOffer(2, 400_000, 5_000);
  await matching.connect(who.P3).postOffer(2, 449_999, 6_000);
  await matching.connect(who.P4).postOffer(2, 300_000, 10_000);
  await matching.connect(who.U1).postRequest(2, 4_000, 550_000);
  await matching.connect(who.U2).postRequest(2, 3_001, 450_000);
  await matching.connect(who.U3).postRequest(2, 5_000, 600_000);
  await matching.connect(who.U4).postRequest(2, 1_000, 700_000);
  await matching.connect(who.U5).postRequest(2, 2_000, 500_000);
  await matching.connect(who.P4).cancelOffer(2);
  await matching.connect(who.U5).cancelRequest(2);
  /** Lock held for `name` in the escrow since cycle 2 began. */
  const lockedDelta = async (name: Name) => (await escrow.locked(who[name].address)) - base[name];
  const committedOf = (name: Name) => escrow.committed(who[name].address);
  return { ...f, lockedDelta, committedOf };
}

// Objectives of cycle 2 (hand-checked, e.g. R0 on O0: zeta = 2,000,000 - 80,000 = 1,920,000 base units,
// M = floor(1,920,000 * 400,000 / 2,320,000) = 331,034):
const A1 = [0, 1, 2, G, G]; // 331034 + 169474 + 278542
const A2 = [0, 2, 0, G, G]; // 331034 + 255206 + 341818 (O0 full: 4000 + 5000 = 9000 Wh)
const A3 = [0, G, G, G, G]; // 331034
const OBJ = { A1: 779_050n, A2: 928_058n, A3: 331_034n };

/** What finalizing A2 must produce, whether in one call or in batches. */
async function expectA2Finalized(f: Awaited<ReturnType<typeof cycleTwo>>) {
  const { matching, escrow, who, lockedDelta, committedOf } = f;
  expect(await escrow.tradeCount()).to.equal(6); // 3 from cycle 1
  const trades = await Promise.all([4, 5, 6].map((id) => escrow.trade(id)));
  expect(
    trades.map((t) => [
      t.seller,
      t.buyer,
      t.period,
      t.energyWh,
      t.pricePerKwh,
      t.prepayment,
      t.sellerMargin,
      t.buyerMargin,
    ]),
  ).to.deep.equal([
    [who.P1.address, who.U1.address, 2n, 4_000n, 500_000n, 2_000_000n, 444_444n, MARGIN],
    // 3001 Wh x 0.449999 = 1,350,446.999 base units, rounded up
    [who.P3.address, who.U2.address, 2n, 3_001n, 449_999n, 1_350_447n, MARGIN, MARGIN],
    // P1's margin split 4000/9000 and 5000/9000: floor pieces that sum to the margin
    [who.P1.address, who.U3.address, 2n, 5_000n, 500_000n, 2_500_000n, 555_556n, MARGIN],
  ]);
  const p = await matching.params(2);
  expect(trades.map((t) => [t.deliveryStart, t.deliveryEnd, t.settlementDeadline])).to.deep.equal(
    Array(3).fill([p.deliveryStart, p.deliveryEnd, p.settlementDeadline]),
  );
  // users keep exactly margin + prepayment at the provider's price; the excess came back
  expect(await lockedDelta("U1")).to.equal(MARGIN + 2_000_000n);
  expect(await lockedDelta("U2")).to.equal(MARGIN + 1_350_447n); // refund 1,350,450 - 1,350,447 = 3
  expect(await lockedDelta("U3")).to.equal(MARGIN + 2_500_000n);
  // GRID request, cancelled request, unassigned and cancelled offers: nothing left locked
  for (const name of ["U4", "U5", "P2", "P4"] as Name[]) expect(await lockedDelta(name)).to.equal(0n);
  expect(await lockedDelta("P1")).to.equal(MARGIN);
  expect(await lockedDelta("P3")).to.equal(MARGIN);
  // everything still locked is committed to trades
  for (const name of ["U1", "U2", "U3", "P1", "P3"] as Name[]) {
    expect(await escrow.locked(who[name].address)).to.equal(await committedOf(name));
  }
  expect(await matching.phaseOf(2)).to.equal(Phase.Finalized);
  expect((await matching.cycleState(2)).trades).to.equal(3);
}

describe("ReputationMatching", () => {
  describe("a full cycle", () => {
    it("locks margins and prepayments at posting and snapshots reputation, region and voltage", async () => {
      const { matching, lockedDelta, who } = await loadFixture(cycleTwo);
      expect(await lockedDelta("P1")).to.equal(MARGIN);
      expect(await lockedDelta("U2")).to.equal(MARGIN + costUp(3_001n, 450_000n));
      expect(await lockedDelta("P4")).to.equal(0n); // cancelled
      expect(await lockedDelta("U5")).to.equal(0n);
      const offers = await matching.offersPage(2, 0, 10);
      expect(offers.map((o) => [o.provider, o.rcMicro, o.region, o.voltageLevel, o.cancelled])).to.deep.equal([
        [who.P1.address, 400_000n, 1n, 1n, false],
        [who.P2.address, 200_000n, 1n, 2n, false],
        [who.P3.address, 320_000n, 2n, 1n, false],
        [who.P4.address, 0n, 1n, 1n, true],
      ]);
      const requests = await matching.requestsPage(2, 3, 10);
      expect(requests.map((r) => [r.user, r.region, r.voltageLevel, r.cancelled])).to.deep.equal([
        [who.U4.address, 1n, 3n, false],
        [who.U5.address, 2n, 1n, true],
      ]);
      expect(await matching.requestsPage(2, 9, 10)).to.deep.equal([]);
      expect(await matching.phaseOf(2)).to.equal(Phase.Posting);
    });

    it("accepts a valid assignment, replaces it with a better one and refuses a worse one", async () => {
      const { matching, stranger, admin } = await loadFixture(cycleTwo);
      await toSubmission(matching, 2);
      expect(await matching.phaseOf(2)).to.equal(Phase.Submission);
      expect(await matching.objectiveOf(2, A1)).to.equal(OBJ.A1);
      await expect(matching.connect(stranger).submitAssignment(2, A1))
        .to.emit(matching, "AssignmentAccepted")
        .withArgs(2, stranger.address, OBJ.A1);
      await expect(matching.connect(admin).submitAssignment(2, A2))
        .to.emit(matching, "AssignmentAccepted")
        .withArgs(2, admin.address, OBJ.A2);
      await expect(matching.connect(stranger).submitAssignment(2, A3))
        .to.emit(matching, "AssignmentNotBetter")
        .withArgs(2, stranger.address, OBJ.A3, OBJ.A2);
      // a tie keeps the earlier submission
      await expect(matching.connect(stranger).submitAssignment(2, A2))
        .to.emit(matching, "AssignmentNotBetter")
        .withArgs(2, stranger.address, OBJ.A2, OBJ.A2);
      const best = await matching.bestAssignment(2);
      expect([best.assignmentHash, best.submitter, best.objective, best.exists]).to.deep.equal([
        hashOf(A2),
        admin.address,
        OBJ.A2,
        true,
      ]);
    });

    it("agrees with the TypeScript twin on the cycle read back from the chain", async () => {
      const { matching } = await loadFixture(cycleTwo);
      const cycle = await readCycle(matching, 2);
      for (const a of [A1, A2, A3]) {
        const check = checkAssignment(cycle, a);
        expect(check.ok && check.objective).to.equal(await matching.objectiveOf(2, a));
      }
    });

    it("finalizes into exact trades, prepayments, margins, refunds and releases", async () => {
      const f = await loadFixture(cycleTwo);
      const { matching } = f;
      await toSubmission(matching, 2);
      await matching.submitAssignment(2, A1);
      await matching.submitAssignment(2, A2);
      await toFinalize(matching, 2);
      expect(await matching.phaseOf(2)).to.equal(Phase.Finalizing);
      const tx = matching.finalize(2, A2, 100);
      await expect(tx).to.emit(matching, "TradeMatched").withArgs(2, 4, 0, 0, 4_000, 500_000);
      await expect(tx).to.emit(matching, "TradeMatched").withArgs(2, 5, 1, 2, 3_001, 449_999);
      await expect(tx).to.emit(matching, "TradeMatched").withArgs(2, 6, 2, 0, 5_000, 500_000);
      await expect(tx)
        .to.emit(matching, "RequestReleased")
        .withArgs(2, 3, MARGIN + 700_000n);
      await expect(tx).to.emit(matching, "OfferReleased").withArgs(2, 1, MARGIN);
      await expect(tx).to.emit(matching, "CycleFinalized").withArgs(2, 3);
      await expectA2Finalized(f);
    });

    it("finalizes in batches of one step with the same result", async () => {
      const f = await loadFixture(cycleTwo);
      const { matching } = f;
      await toSubmission(matching, 2);
      await matching.submitAssignment(2, A2);
      await toFinalize(matching, 2);
      let calls = 0;
      while ((await matching.phaseOf(2)) !== BigInt(Phase.Finalized) && calls < 20) {
        await matching.finalize(2, A2, 1);
        calls++;
      }
      expect(calls).to.equal(5 + 4); // one step per request, then one per offer
      await expectA2Finalized(f);
    });

    it("finalizes the all-GRID assignment when nothing was submitted, releasing everything", async () => {
      const { matching, escrow, lockedDelta } = await loadFixture(cycleTwo);
      await toFinalize(matching, 2);
      await expect(matching.finalize(2, A2, 100))
        .to.be.revertedWithCustomError(matching, "MatchingAssignmentMismatch")
        .withArgs(2, hashOf(A2), hashOf([G, G, G, G, G]));
      await expect(matching.finalize(2, [G, G, G, G, G], 100))
        .to.emit(matching, "CycleFinalized")
        .withArgs(2, 0);
      expect(await escrow.tradeCount()).to.equal(3);
      for (const name of Object.keys(PEOPLE) as Name[]) expect(await lockedDelta(name)).to.equal(0n);
    });

    it("releases matched pairs that finalize reaches after delivery started, margins piece by piece", async () => {
      const { matching, escrow, lockedDelta, committedOf } = await loadFixture(cycleTwo);
      await toSubmission(matching, 2);
      await matching.submitAssignment(2, A2);
      await toFinalize(matching, 2);
      await matching.finalize(2, A2, 1); // R0 trades before delivery starts
      await time.increaseTo((await matching.params(2)).deliveryStart);
      const tx = matching.finalize(2, A2, 100);
      await expect(tx).to.emit(matching, "MatchExpired").withArgs(2, 1, 2);
      await expect(tx).to.emit(matching, "MatchExpired").withArgs(2, 2, 0);
      await expect(tx).to.emit(matching, "OfferReleased").withArgs(2, 0, 555_556n);
      await expect(tx).to.emit(matching, "CycleFinalized").withArgs(2, 1);
      expect(await escrow.tradeCount()).to.equal(4);
      // P1 keeps only the piece committed to its one trade; U2, U3 get everything back
      expect(await lockedDelta("P1")).to.equal(444_444n);
      expect(await committedOf("P1")).to.equal(MARGIN + 444_444n); // cycle 1's margin + this piece
      for (const name of ["U2", "U3", "P3", "P2"] as Name[]) expect(await lockedDelta(name)).to.equal(0n);
    });
  });

  describe("assignment check (mutations of a valid assignment)", () => {
    // Each entry changes A2 = [0, 2, 0, G, G] in one place and breaks exactly one rule.
    const mutations: [string, number[], string, number[]][] = [
      [
        "over capacity (R2 also on O2: 3001 + 5000 > 6000)",
        [0, 2, 2, G, G],
        "MatchingCapacityExceeded",
        [2, 8_001, 6_000],
      ],
      ["unknown offer", [0, 7, 0, G, G], "MatchingUnknownOffer", [1, 7]],
      ["cancelled offer", [0, 3, 0, G, G], "MatchingCancelledOffer", [1, 3]],
      ["cancelled request not on GRID", [0, 2, 0, G, 1], "MatchingCancelledRequest", [4, 1]],
      // high voltage: fee 0.60/kWh against a price of 0.50
      ["negative revenue", [0, 2, 0, 0, G], "MatchingNegativeRevenue", [3, 0, -100_000]],
      ["price above the request's maximum", [0, 0, 0, G, G], "MatchingPriceAboveMax", [1, 0, 500_000, 450_000]],
      ["too short", [0, 2, 0, G], "MatchingWrongLength", [4, 5]],
      ["too long", [0, 2, 0, G, G, G], "MatchingWrongLength", [6, 5]],
    ];

    for (const [what, assignment, error, args] of mutations) {
      it(`rejects ${what} with ${error}, as the TypeScript twin does`, async () => {
        const { matching } = await loadFixture(cycleTwo);
        await toSubmission(matching, 2);
        await expect(matching.submitAssignment(2, assignment))
          .to.be.revertedWithCustomError(matching, error)
          .withArgs(...args);
        await expect(matching.objectiveOf(2, assignment))
          .to.be.revertedWithCustomError(matching, error)
          .withArgs(...args);
        const check = checkAssignment(await readCycle(matching, 2), assignment);
        expect(check.ok).to.equal(false);
        if (!check.ok) {
          expect(check.violation.error).to.equal(error);
          expect(check.violation.args).to.deep.equal(args.map(BigInt));
        }
        expect((await matching.bestAssignment(2)).exists).to.equal(false);
      });
    }

    it("accepts a cancelled request on GRID and an empty cycle's empty assignment", async () => {
      const { matching } = await loadFixture(cycleTwo);
      await matching.openCycle(await cycleParams({ postingEnds: BigInt(await time.latest()) + 60n }));
      await toSubmission(matching, 2);
      await expect(matching.submitAssignment(2, [G, G, G, G, G])).to.emit(matching, "AssignmentAccepted");
      await expect(matching.submitAssignment(3, [])).to.emit(matching, "AssignmentAccepted").withArgs(3, anyValue, 0);
    });
  });

  describe("phases", () => {
    it("takes submissions only in the window and finalize only after it, once", async () => {
      const { matching } = await loadFixture(cycleTwo);
      const p = await matching.params(2);
      await expect(matching.submitAssignment(2, A2))
        .to.be.revertedWithCustomError(matching, "MatchingNotSubmissionWindow")
        .withArgs(2, p.postingEnds, p.submissionEnds);
      await toSubmission(matching, 2);
      await matching.submitAssignment(2, A2);
      await expect(matching.finalize(2, A2, 10))
        .to.be.revertedWithCustomError(matching, "MatchingSubmissionOpen")
        .withArgs(2, p.submissionEnds);
      await toFinalize(matching, 2);
      await expect(matching.submitAssignment(2, A2))
        .to.be.revertedWithCustomError(matching, "MatchingNotSubmissionWindow")
        .withArgs(2, p.postingEnds, p.submissionEnds);
      await expect(matching.finalize(2, A2, 0)).to.be.revertedWithCustomError(matching, "MatchingZeroSteps");
      await matching.finalize(2, A2, 100);
      await expect(matching.finalize(2, A2, 100))
        .to.be.revertedWithCustomError(matching, "MatchingAlreadyFinalized")
        .withArgs(2);
    });

    it("closes posting and cancelling at postingEnds", async () => {
      const { matching, who } = await loadFixture(cycleTwo);
      const { postingEnds } = await matching.params(2);
      await toSubmission(matching, 2);
      await expect(matching.connect(who.U6).postRequest(2, 1_000, 500_000))
        .to.be.revertedWithCustomError(matching, "MatchingPostingClosed")
        .withArgs(2, postingEnds);
      await expect(matching.connect(who.P1).cancelOffer(2))
        .to.be.revertedWithCustomError(matching, "MatchingPostingClosed")
        .withArgs(2, postingEnds);
      await expect(matching.connect(who.U1).cancelRequest(2))
        .to.be.revertedWithCustomError(matching, "MatchingPostingClosed")
        .withArgs(2, postingEnds);
    });

    it("reports None for unknown cycles and refuses to act on them", async () => {
      const { matching, who } = await loadFixture(deployMatching);
      expect(await matching.phaseOf(0)).to.equal(Phase.None);
      expect(await matching.phaseOf(1)).to.equal(Phase.None);
      await expect(matching.connect(who.P1).postOffer(1, 1, 1))
        .to.be.revertedWithCustomError(matching, "MatchingUnknownCycle")
        .withArgs(1);
      await expect(matching.objectiveOf(0, []))
        .to.be.revertedWithCustomError(matching, "MatchingUnknownCycle")
        .withArgs(0);
      await expect(matching.finalize(5, [], 1))
        .to.be.revertedWithCustomError(matching, "MatchingUnknownCycle")
        .withArgs(5);
    });
  });

  describe("posting", () => {
    it("refuses bad posts with named errors", async () => {
      const { matching, registry, admin, who, stranger } = await loadFixture(cycleTwo);
      await expect(matching.connect(who.P1).postOffer(2, 500_000, 1))
        .to.be.revertedWithCustomError(matching, "MatchingAlreadyPosted")
        .withArgs(2, who.P1.address);
      await expect(matching.connect(who.P1).postRequest(2, 1_000, 500_000))
        .to.be.revertedWithCustomError(matching, "MatchingBothSides")
        .withArgs(2, who.P1.address);
      await expect(matching.connect(who.U1).postOffer(2, 500_000, 1_000))
        .to.be.revertedWithCustomError(matching, "MatchingBothSides")
        .withArgs(2, who.U1.address);
      // a cancel is final for the cycle: the slot is not handed out again
      await expect(matching.connect(who.P4).postOffer(2, 300_000, 1_000))
        .to.be.revertedWithCustomError(matching, "MatchingAlreadyPosted")
        .withArgs(2, who.P4.address);
      await expect(matching.connect(who.U6).postOffer(2, 0, 1_000)).to.be.revertedWithCustomError(
        matching,
        "MatchingZeroPrice",
      );
      await expect(matching.connect(who.U6).postOffer(2, 1, 0)).to.be.revertedWithCustomError(
        matching,
        "MatchingZeroEnergy",
      );
      await expect(matching.connect(who.U6).postRequest(2, 0, 1)).to.be.revertedWithCustomError(
        matching,
        "MatchingZeroEnergy",
      );
      await expect(matching.connect(who.U6).postRequest(2, 1, 0)).to.be.revertedWithCustomError(
        matching,
        "MatchingZeroPrice",
      );
      await expect(matching.connect(stranger).postRequest(2, 1_000, 500_000))
        .to.be.revertedWithCustomError(registry, "RegistryNotEligible")
        .withArgs(stranger.address, 1);
      await registry.connect(admin).suspend(who.U6.address, 7);
      await expect(matching.connect(who.U6).postRequest(2, 1_000, 500_000))
        .to.be.revertedWithCustomError(registry, "RegistryNotEligible")
        .withArgs(who.U6.address, 2);
    });

    it("counts every posting of a cycle, cancelled ones included, as its pages list them", async () => {
      const { matching } = await loadFixture(cycleTwo);
      const offers = await matching.offersPage(2, 0, 64);
      const requests = await matching.requestsPage(2, 0, 256);
      expect(offers.length).to.be.greaterThan(0);
      expect(requests.length).to.be.greaterThan(0);
      expect(await matching.offerCount(2)).to.equal(BigInt(offers.length));
      expect(await matching.requestCount(2)).to.equal(BigInt(requests.length));
      expect(offers.some((o) => o.cancelled)).to.equal(true); // P4 cancelled and still counts
      expect(await matching.offerCount(99)).to.equal(0n);
    });

    it("cancels only one's own live posting", async () => {
      const { matching, who } = await loadFixture(cycleTwo);
      await expect(matching.connect(who.U6).cancelOffer(2))
        .to.be.revertedWithCustomError(matching, "MatchingNoOffer")
        .withArgs(2, who.U6.address);
      await expect(matching.connect(who.P1).cancelRequest(2))
        .to.be.revertedWithCustomError(matching, "MatchingNoRequest")
        .withArgs(2, who.P1.address);
      await expect(matching.connect(who.P4).cancelOffer(2))
        .to.be.revertedWithCustomError(matching, "MatchingAlreadyCancelled")
        .withArgs(2, who.P4.address);
      await expect(matching.connect(who.U5).cancelRequest(2))
        .to.be.revertedWithCustomError(matching, "MatchingAlreadyCancelled")
        .withArgs(2, who.U5.address);
      await expect(matching.connect(who.P2).cancelOffer(2))
        .to.emit(matching, "OfferCancelled")
        .withArgs(2, 1, who.P2.address);
      await expect(matching.connect(who.U1).cancelRequest(2))
        .to.emit(matching, "RequestCancelled")
        .withArgs(2, 0, who.U1.address);
    });

    it("enforces the cycle's region and caps", async () => {
      const { matching, who } = await loadFixture(deployMatching);
      await matching.openCycle(await cycleParams({ region: 1, offerCap: 1, requestCap: 1 }));
      await expect(matching.connect(who.P3).postOffer(1, 500_000, 1_000))
        .to.be.revertedWithCustomError(matching, "MatchingWrongRegion")
        .withArgs(who.P3.address, 2, 1);
      await expect(matching.connect(who.P1).postOffer(1, 500_000, 1_000))
        .to.emit(matching, "OfferPosted")
        .withArgs(1, 0, who.P1.address, 500_000, 1_000, 0);
      await expect(matching.connect(who.P2).postOffer(1, 500_000, 1_000))
        .to.be.revertedWithCustomError(matching, "MatchingOfferCapReached")
        .withArgs(1, 1);
      await expect(matching.connect(who.U1).postRequest(1, 1_001, 333_333))
        .to.emit(matching, "RequestPosted")
        .withArgs(1, 0, who.U1.address, 1_001, 333_333, MARGIN + 333_667n); // 333,666.333 rounded up
      await expect(matching.connect(who.U2).postRequest(1, 1_000, 500_000))
        .to.be.revertedWithCustomError(matching, "MatchingRequestCapReached")
        .withArgs(1, 1);
    });

    it("refuses a voltage level outside 1..3 (a registry the real one never is)", async () => {
      const [admin, user] = await ethers.getSigners();
      const stub = await ethers.deployContract("StubRegistry");
      const escrow = await ethers.deployContract("MockMarketEscrow");
      const matching = (await ethers.deployContract("ReputationMatching", [
        admin.address,
        await stub.getAddress(),
        await escrow.getAddress(),
        ALPHA,
      ])) as unknown as ReputationMatching;
      await matching.openCycle(await cycleParams());
      await stub.setParticipant(1, 4);
      await expect(matching.connect(user).postOffer(1, 1, 1))
        .to.be.revertedWithCustomError(matching, "MatchingInvalidVoltageLevel")
        .withArgs(user.address, 4);
    });
  });

  describe("reputation", () => {
    it("bootstraps RC = alpha * C from RC(0) = 0 and pushes it to the registry", async () => {
      const { matching, registry, who } = await loadFixture(withReputation);
      expect(await matching.reputationOf(who.P1.address)).to.equal(4n * 10n ** 17n);
      expect(await matching.reputationOf(who.P2.address)).to.equal(2n * 10n ** 17n);
      expect(await matching.reputationOf(who.P3.address)).to.equal(32n * 10n ** 16n);
      expect((await registry.participant(who.P3.address)).reputationWad).to.equal(32n * 10n ** 16n);
      expect(await matching.lastAppliedCycle()).to.equal(1);
      expect(await matching.phaseOf(1)).to.equal(Phase.ReputationApplied);
    });

    it("applies the EMA to providers with settled trades and leaves the others unchanged", async () => {
      const { matching, registry, reporter, who } = await loadFixture(cycleTwo);
      await toSubmission(matching, 2);
      await matching.submitAssignment(2, A2);
      await toFinalize(matching, 2);
      await matching.finalize(2, A2, 100);
      const m = await matching.getAddress();
      const third = 333_333_333_333_333_333n;
      await expect(matching.connect(reporter).recordDelivery(4, m, 2, who.P1.address, WAD))
        .to.emit(matching, "DeliveryRecorded")
        .withArgs(2, 4, who.P1.address, WAD);
      await matching.connect(reporter).recordDelivery(6, m, 2, who.P1.address, third);
      await matching.connect(reporter).recordDelivery(5, m, 2, who.P3.address, 0);
      // P1: C = floor((1 + 1/3) / 2) = 0.666..., RC = floor(0.4 C + 0.6 * 0.4) = 0.50666...
      const c1 = (WAD + third) / 2n;
      expect(c1).to.equal(666_666_666_666_666_666n);
      const rc1 = ema(c1, 4n * 10n ** 17n);
      expect(rc1).to.equal(506_666_666_666_666_666n);
      const tx = matching.updateReputation(2);
      await expect(tx).to.emit(matching, "ReputationUpdated").withArgs(who.P1.address, 2, c1, rc1);
      await expect(tx)
        .to.emit(matching, "ReputationUpdated")
        .withArgs(who.P3.address, 2, 0, 192n * 10n ** 15n);
      await expect(tx).to.emit(matching, "ReputationApplied").withArgs(2, 2, 3, 3);
      expect(await matching.reputationOf(who.P1.address)).to.equal(rc1);
      expect(await matching.reputationOf(who.P3.address)).to.equal(192n * 10n ** 15n);
      expect(await matching.reputationOf(who.P2.address)).to.equal(2n * 10n ** 17n); // no trade in cycle 2
      expect((await registry.participant(who.P1.address)).reputationWad).to.equal(rc1);

      // the next cycle's offers carry the new RC in micro units
      await matching.openCycle(await cycleParams());
      await matching.connect(who.P1).postOffer(3, 500_000, 1_000);
      expect((await matching.offersPage(3, 0, 1))[0].rcMicro).to.equal(rc1 / 10n ** 12n);
    });

    it("waits for every trade's report, or for the grace period after the settlement deadline", async () => {
      const { matching, reporter, who } = await loadFixture(cycleTwo);
      await toSubmission(matching, 2);
      await matching.submitAssignment(2, A2);
      await toFinalize(matching, 2);
      await matching.finalize(2, A2, 100);
      const m = await matching.getAddress();
      await matching.connect(reporter).recordDelivery(4, m, 2, who.P1.address, WAD);
      const graceEnds = (await matching.params(2)).settlementDeadline + (await matching.RECORDING_GRACE());
      await expect(matching.updateReputation(2))
        .to.be.revertedWithCustomError(matching, "MatchingTradesUnsettled")
        .withArgs(2, 1, 3, graceEnds);
      await time.increaseTo(graceEnds);
      await expect(matching.updateReputation(2)).to.emit(matching, "ReputationApplied").withArgs(2, 1, 1, 3);
      // P1: C = 1 from its one recorded trade; a late report no longer counts
      expect(await matching.reputationOf(who.P1.address)).to.equal(ema(WAD, 4n * 10n ** 17n));
      await expect(matching.connect(reporter).recordDelivery(5, m, 2, who.P3.address, WAD))
        .to.be.revertedWithCustomError(matching, "MatchingReputationApplied")
        .withArgs(2);
    });

    it("applies cycles in increasing order; a cycle without trades at once after finalize", async () => {
      const { matching } = await loadFixture(deployMatching);
      await matching.openCycle(await cycleParams());
      await matching.openCycle(await cycleParams());
      await expect(matching.updateReputation(1))
        .to.be.revertedWithCustomError(matching, "MatchingNotFinalized")
        .withArgs(1);
      await toFinalize(matching, 2);
      await matching.finalize(2, [], 1);
      await expect(matching.updateReputation(2))
        .to.be.revertedWithCustomError(matching, "MatchingReputationOrder")
        .withArgs(2, 1);
      await matching.finalize(1, [], 1);
      await expect(matching.updateReputation(1)).to.emit(matching, "ReputationApplied").withArgs(1, 0, 0, 0);
      await matching.updateReputation(2);
      await expect(matching.updateReputation(1))
        .to.be.revertedWithCustomError(matching, "MatchingReputationOrder")
        .withArgs(1, 3);
      await expect(matching.updateReputation(3))
        .to.be.revertedWithCustomError(matching, "MatchingUnknownCycle")
        .withArgs(3);
      expect(await matching.lastAppliedCycle()).to.equal(2);
    });

    it("counts each report once, for the trade's own cycle and provider, within [0, 1]", async () => {
      const { matching, reporter, who, stranger } = await loadFixture(cycleTwo);
      await toSubmission(matching, 2);
      await matching.submitAssignment(2, A2);
      await toFinalize(matching, 2);
      await matching.finalize(2, A2, 100);
      const m = await matching.getAddress();
      const record = matching.connect(reporter).recordDelivery;
      await expect(record(99, m, 2, who.P1.address, WAD))
        .to.be.revertedWithCustomError(matching, "MatchingUnknownTrade")
        .withArgs(99);
      await expect(record(4, m, 1, who.P1.address, WAD))
        .to.be.revertedWithCustomError(matching, "MatchingTradeMismatch")
        .withArgs(4, 1, who.P1.address);
      await expect(record(4, m, 2, who.P3.address, WAD))
        .to.be.revertedWithCustomError(matching, "MatchingTradeMismatch")
        .withArgs(4, 2, who.P3.address);
      await expect(record(4, m, 2, who.P1.address, WAD + 1n))
        .to.be.revertedWithCustomError(matching, "MatchingRatioOutOfRange")
        .withArgs(4, WAD + 1n);
      await record(4, m, 2, who.P1.address, WAD);
      await expect(record(4, m, 2, who.P1.address, WAD))
        .to.be.revertedWithCustomError(matching, "MatchingUnknownTrade")
        .withArgs(4);
      // reports for other markets are ignored
      await expect(record(5, stranger.address, 2, who.P3.address, 0)).to.not.emit(matching, "DeliveryRecorded");
      expect((await matching.cycleState(2)).settled).to.equal(1);
      // trade 1 is cycle 1's, already applied
      await expect(record(1, m, 1, who.P1.address, WAD))
        .to.be.revertedWithCustomError(matching, "MatchingUnknownTrade")
        .withArgs(1);
    });
  });

  describe("roles and operator parameters", () => {
    it("keeps operator functions to OPERATOR_ROLE and reports to ESCROW_ROLE", async () => {
      const { matching, stranger, escrow } = await loadFixture(deployMatching);
      const operator = ethers.id("OPERATOR_ROLE");
      const params = await cycleParams();
      // each call starts only when the previous one was checked: a rejection must never go unobserved
      const calls = [
        () => matching.connect(stranger).openCycle(params),
        () => matching.connect(stranger).setAlpha(1),
        () => matching.connect(stranger).setFees(1, 1, 1),
        () => matching.connect(stranger).setRegionDistance(1, 2, 1),
      ];
      for (const call of calls) {
        await expect(call())
          .to.be.revertedWithCustomError(matching, "AccessControlUnauthorizedAccount")
          .withArgs(stranger.address, operator);
      }
      await expect(matching.connect(stranger).recordDelivery(1, await matching.getAddress(), 1, stranger.address, 0))
        .to.be.revertedWithCustomError(matching, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, ethers.id("ESCROW_ROLE"));
      expect(await matching.hasRole(ethers.id("ESCROW_ROLE"), await escrow.getAddress())).to.equal(true);
    });

    it("needs MARKET_ROLE on the registry to push reputations", async () => {
      const { matching, registry, admin, reporter, who } = await loadFixture(deployMatching);
      await matching.openCycle(await cycleParams());
      await matching.connect(who.P1).postOffer(1, 500_000, 1_000);
      await matching.connect(who.U1).postRequest(1, 1_000, 500_000);
      await toSubmission(matching, 1);
      await matching.submitAssignment(1, [0]);
      await toFinalize(matching, 1);
      await matching.finalize(1, [0], 10);
      await matching.connect(reporter).recordDelivery(1, await matching.getAddress(), 1, who.P1.address, WAD);
      await registry.connect(admin).revokeRole(await registry.MARKET_ROLE(), await matching.getAddress());
      await expect(matching.updateReputation(1))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(await matching.getAddress(), await registry.MARKET_ROLE());
    });

    it("validates cycle parameters, alpha, fees and distances", async () => {
      const { matching } = await loadFixture(deployMatching);
      const p = await cycleParams();
      const bad: [Record<string, unknown>, string][] = [
        [{ region: 9 }, "region"],
        [{ postingEnds: 1 }, "postingEnds"],
        [{ submissionEnds: p.postingEnds }, "submissionEnds"],
        [{ deliveryStart: p.submissionEnds }, "deliveryStart"],
        [{ deliveryEnd: p.deliveryStart }, "deliveryEnd"],
        [{ settlementDeadline: p.deliveryEnd - 1n }, "settlementDeadline"],
        [{ requestCap: 0 }, "requestCap"],
        [{ requestCap: 257 }, "requestCap"],
        [{ offerCap: 0 }, "offerCap"],
        [{ offerCap: 65 }, "offerCap"],
      ];
      for (const [overrides, field] of bad) {
        await expect(matching.openCycle({ ...p, ...overrides }))
          .to.be.revertedWithCustomError(matching, "MatchingInvalidParams")
          .withArgs(field);
      }
      await expect(matching.setAlpha(WAD + 1n))
        .to.be.revertedWithCustomError(matching, "MatchingInvalidParams")
        .withArgs("alphaWad");
      await expect(matching.setFees(0, 1, 1))
        .to.be.revertedWithCustomError(matching, "MatchingInvalidParams")
        .withArgs("voltageLevel");
      await expect(matching.setFees(4, 1, 1))
        .to.be.revertedWithCustomError(matching, "MatchingInvalidParams")
        .withArgs("voltageLevel");
      await expect(matching.setRegionDistance(2, 2, 1))
        .to.be.revertedWithCustomError(matching, "MatchingInvalidParams")
        .withArgs("regions");
    });

    it("fixes alpha and the fees of a cycle when it opens; distances are symmetric", async () => {
      const { matching } = await loadFixture(deployMatching);
      await matching.openCycle(await cycleParams());
      await expect(matching.setAlpha(WAD)).to.emit(matching, "AlphaSet").withArgs(WAD);
      await expect(matching.setFees(1, 5, 6)).to.emit(matching, "FeesSet").withArgs(1, 5, 6);
      await matching.openCycle(await cycleParams());
      expect((await matching.cycleState(1)).alphaWad).to.equal(ALPHA);
      expect((await matching.cycleState(2)).alphaWad).to.equal(WAD);
      expect((await matching.cycleFees(1)).baseFeePerKwh).to.deep.equal([0n, 20_000n, 30_000n, 600_000n]);
      expect((await matching.cycleFees(2)).baseFeePerKwh).to.deep.equal([0n, 5n, 30_000n, 600_000n]);
      expect((await matching.fees()).distanceFeePerKwh).to.deep.equal([0n, 6n, 2_000n, 10_000n]);
      expect(await matching.regionDistance(2, 1)).to.equal(10);
      expect(await matching.regionDistance(1, 3)).to.equal(40);
      expect(await matching.regionDistance(2, 2)).to.equal(0);
      expect(await matching.regionDistance(2, 3)).to.equal(0);
      expect(await matching.cycleCount()).to.equal(2);
      expect(await matching.alphaWad()).to.equal(WAD);
    });
  });
});
