import { randomBook } from "../helpers/randomCycle";
import { expect } from "chai";
import { solveGap } from "../../src/core/gap";
import {
  applyReputationCycles,
  checkAssignment,
  distanceTable,
  GRID,
  mulberry32,
  primaryObjective,
  simulateReputation,
  TIE_BREAK_SCALE,
  toGapInstance,
  toOnChainAssignment,
  WAD,
  type MatchingCycle,
  type MatchingOffer,
  type MatchingRequest,
  type Prng,
} from "../../src/core/matching";

const SEED = Number(process.env.MATCHING_SEED ?? 20_240_611);

describe("matching core (pure)", () => {
  describe("paper B's reputation simulation", () => {
    const seeds = [SEED, 1, 2, 3, 42];

    for (const seed of seeds) {
      it(`has the paper's shape (seed ${seed})`, () => {
        const { providers } = simulateReputation({ seed, alpha: 0.4, cycles: 10, tradesPerCycle: 10 });
        const [p1, p2, p3, p4] = providers;
        expect(providers.map((p) => p.behaviour)).to.deep.equal(["honest", "underDelivers", "unstable", "unstable"]);
        expect(providers.every((p) => p.reputation.length === 10)).to.equal(true);
        // provider 1: honest, steady (never falls), 1 - 0.6^T exactly in decimals
        p1.reputation.forEach((rc, t) => expect(rc).to.be.closeTo(1 - 0.6 ** (t + 1), 1e-12));
        for (let t = 0; t < 10; t++) {
          const others = [p2, p3, p4].map((p) => p.reputation[t]);
          // 1 highest, 2 lowest, 3 and 4 in between
          expect(p1.reputation[t]).to.be.greaterThan(Math.max(...others), `cycle ${t + 1}`);
          expect(p2.reputation[t]).to.be.lessThan(Math.min(p3.reputation[t], p4.reputation[t]), `cycle ${t + 1}`);
          expect(p2.reputation[t]).to.be.at.most(0.5);
          // "far lowest" once the curves have left the common start
          if (t >= 3) expect(Math.min(p3.reputation[t], p4.reputation[t]) - p2.reputation[t]).to.be.greaterThan(0.2);
        }
        for (const p of [p3, p4]) {
          // 3 and 4 swing: at least one dip, and a dip only in a cycle with short trades
          const dips = p.reputation.map((rc, t) => (t > 0 && rc < p.reputation[t - 1] ? t : -1)).filter((t) => t >= 0);
          expect(dips.length, `provider ${p.id} never dips`).to.be.greaterThan(0);
          for (const t of dips)
            expect(p.shortTrades[t], `provider ${p.id} dips in cycle ${t + 1}`).to.be.greaterThan(0);
          expect(p.reputation[9]).to.be.lessThan(p1.reputation[9] - 0.05);
        }
        expect(p2.shortTrades.every((n) => n === 10)).to.equal(true);
      });
    }

    it("is reproducible and independent per provider", () => {
      const a = simulateReputation({ seed: 7, alpha: 0.4, cycles: 5, tradesPerCycle: 10 });
      const b = simulateReputation({ seed: 7, alpha: 0.4, cycles: 5, tradesPerCycle: 10 });
      const c = simulateReputation({
        seed: 7,
        alpha: 0.4,
        cycles: 5,
        tradesPerCycle: 10,
        underDeliveryRange: [0.1, 0.2],
      });
      expect(a).to.deep.equal(b);
      expect(c.providers[2]).to.deep.equal(a.providers[2]); // changing provider 2 leaves 3 alone
      expect(c.providers[1].reputation[4]).to.be.lessThan(a.providers[1].reputation[4]);
    });

    it("validates its options", () => {
      expect(() => simulateReputation({ seed: 1, alpha: 1.5, cycles: 1, tradesPerCycle: 1 })).to.throw(RangeError);
      expect(() => simulateReputation({ seed: 1, alpha: 0.4, cycles: 1, tradesPerCycle: 0 })).to.throw(RangeError);
      expect(() => simulateReputation({ seed: 1, alpha: 0.1234567891, cycles: 1, tradesPerCycle: 1 })).to.throw(
        RangeError,
      );
    });
  });

  describe("applyReputationCycles", () => {
    it("moves providers with trades by the EMA and leaves the others as they were", () => {
      const alphaWad = 4n * 10n ** 17n;
      const steps = applyReputationCycles([
        {
          alphaWad,
          deliveries: new Map([
            ["a", [WAD]],
            ["b", [WAD / 2n]],
          ]),
        },
        { alphaWad, deliveries: new Map([["a", [WAD, 333_333_333_333_333_333n]]]) },
      ]);
      expect(steps[0].reputationWad.get("a")).to.equal(4n * 10n ** 17n);
      expect(steps[0].reputationWad.get("b")).to.equal(2n * 10n ** 17n);
      // the contract test's cycle 2: C = 0.666..., RC = 0.50666...
      expect(steps[1].currentWad.get("a")).to.equal(666_666_666_666_666_666n);
      expect(steps[1].reputationWad.get("a")).to.equal(506_666_666_666_666_666n);
      expect(steps[1].reputationWad.get("b")).to.equal(2n * 10n ** 17n);
      expect(steps[1].currentWad.has("b")).to.equal(false);
    });
  });

  describe("cycle -> GAP instance", () => {
    it("solves the contract test's cycle 2 to the assignment the chain ranks best", () => {
      const cycle = contractCycleTwo();
      const gap = toGapInstance(cycle);
      const result = solveGap(gap.instance);
      expect(result.status).to.equal("optimal");
      const assignment = toOnChainAssignment(gap, result.assignment ?? []);
      expect(assignment).to.deep.equal([0, 2, 0, GRID, GRID]);
      const check = checkAssignment(cycle, assignment);
      expect(check.ok && check.objective).to.equal(928_058n);
      expect(primaryObjective(gap, assignment)).to.equal(928_058);
      expect(Math.floor((result.objective ?? 0) / TIE_BREAK_SCALE)).to.equal(928_058);
      expect(bruteForceBest(cycle)).to.equal(928_058n);
    });

    it("marks exactly the pairs the contract refuses as forbidden and gives the grid room for all", () => {
      const cycle = contractCycleTwo();
      const gap = toGapInstance(cycle, { tieBreak: false });
      const forbidden = new Set(gap.instance.forbidden?.map(([j, i]) => `${j}:${i}`));
      cycle.offers.forEach((_, j) =>
        cycle.requests.forEach((_, i) => {
          const a = cycle.requests.map(() => GRID);
          a[i] = j;
          const refused = !checkAssignment(cycle, a).ok && cycle.requests[i].energyWh <= cycle.offers[j].capacityWh;
          expect(forbidden.has(`${j}:${i}`), `offer ${j}, request ${i}`).to.equal(refused);
        }),
      );
      expect(gap.gridAgent).to.equal(4);
      expect(gap.instance.value[4]).to.deep.equal([0, 0, 0, 0, 0]);
      expect(gap.instance.resource[4]).to.deep.equal([0, 0, 0, 0, 0]);
      expect(gap.instance.value[0][0]).to.equal(331_034); // no tie-break: value = M
    });

    it("finds the chain's optimum on 40 random cycles (brute force over the TS check as oracle)", () => {
      const rng = mulberry32(SEED);
      for (let k = 0; k < 40; k++) {
        const cycle = randomCycle(rng);
        const gap = toGapInstance(cycle);
        const result = solveGap(gap.instance);
        const assignment = toOnChainAssignment(gap, result.assignment ?? []);
        const check = checkAssignment(cycle, assignment);
        const label = `MATCHING_SEED=${SEED}, case ${k}`;
        expect(result.status, label).to.equal("optimal");
        expect(check.ok, label).to.equal(true);
        const best = bruteForceBest(cycle);
        expect(check.ok && check.objective, label).to.equal(best);
        // the tie-break never changes the primary objective
        expect(Math.floor((result.objective ?? 0) / TIE_BREAK_SCALE), label).to.equal(Number(best));
        const plain = solveGap(toGapInstance(cycle, { tieBreak: false }).instance);
        expect(plain.objective, label).to.equal(Number(best));
      }
    });

    it("breaks ties in favour of trading when every provider has RC = 0", () => {
      const base = contractCycleTwo();
      const cycle: MatchingCycle = { ...base, offers: base.offers.map((o) => ({ ...o, rcMicro: 0n })) };
      const withTies = toGapInstance(cycle);
      expect(withTies.tieBreak).to.equal(Math.floor(4095 / 5));
      const traded = toOnChainAssignment(withTies, solveGap(withTies.instance).assignment ?? []);
      const check = checkAssignment(cycle, traded);
      expect(check.ok && check.objective).to.equal(0n);
      // R0, R1, R2 can trade (R3 earns nothing anywhere, R4 is cancelled): all three do
      expect(traded.filter((j) => j !== GRID).length).to.equal(3);
    });

    it("refuses requests beyond the solver's integer range", () => {
      const cycle = contractCycleTwo();
      const huge: MatchingCycle = {
        ...cycle,
        requests: [{ ...cycle.requests[0], energyWh: 2n ** 31n }],
      };
      expect(() => toGapInstance(huge)).to.throw(RangeError);
      expect(() => toOnChainAssignment(toGapInstance(cycle), [9, 0, 0, 0, 0])).to.throw(RangeError);
    });
  });
});

/** test/contracts/ReputationMatching.test.ts's cycle 2, as the contract stores it. */
function contractCycleTwo(): MatchingCycle {
  const offer = (price: bigint, cap: bigint, rc: bigint, region: number, level: number, cancelled = false) =>
    ({ pricePerKwh: price, capacityWh: cap, rcMicro: rc, region, voltageLevel: level, cancelled } as MatchingOffer);
  const request = (wh: bigint, max: bigint, region: number, level: number, cancelled = false) =>
    ({ energyWh: wh, maxPricePerKwh: max, region, voltageLevel: level, cancelled } as MatchingRequest);
  return {
    offers: [
      offer(500_000n, 9_000n, 400_000n, 1, 1),
      offer(400_000n, 5_000n, 200_000n, 1, 2),
      offer(449_999n, 6_000n, 320_000n, 2, 1),
      offer(300_000n, 10_000n, 0n, 1, 1, true),
    ],
    requests: [
      request(4_000n, 550_000n, 1, 1),
      request(3_001n, 450_000n, 1, 1),
      request(5_000n, 600_000n, 2, 1),
      request(1_000n, 700_000n, 1, 3),
      request(2_000n, 500_000n, 2, 1, true),
    ],
    fees: {
      baseFeePerKwh: [0n, 20_000n, 30_000n, 600_000n],
      distanceFeePerKwh: [0n, 1_000n, 2_000n, 10_000n],
      distance: distanceTable([
        [1, 2, 10n],
        [1, 3, 40n],
      ]),
    },
  };
}

/** Small random cycles the brute force can enumerate: at most 3 offers and 6 requests (4^6 leaves). */
function randomCycle(rng: Prng): MatchingCycle {
  const { offers, requests } = randomBook(rng, {
    offers: [1, 3],
    requests: [1, 6],
    price: [200_000n, 700_000n],
    capacityWh: [1_000n, 9_000n],
    energyWh: [500n, 4_000n],
    maxPrice: [300_000n, 800_000n],
    regions: 2,
    levels: 2,
    newcomer: 0.25,
  });
  return {
    offers,
    requests,
    fees: {
      baseFeePerKwh: [0n, 20_000n, 50_000n, 0n],
      distanceFeePerKwh: [0n, 2_000n, 5_000n, 0n],
      distance: distanceTable([[1, 2, rng.bigint(0n, 40n)]]),
    },
  };
}

/** The best objective over every assignment the TS check accepts (independent of toGap and the solver). */
function bruteForceBest(cycle: MatchingCycle): bigint {
  const n = cycle.requests.length;
  const choices = [...cycle.offers.map((_, j) => j), GRID];
  let best = -1n;
  const current = new Array<number>(n).fill(GRID);
  const visit = (i: number): void => {
    if (i === n) {
      const check = checkAssignment(cycle, current);
      if (check.ok && check.objective > best) best = check.objective;
      return;
    }
    for (const j of choices) {
      current[i] = j;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}
