import hre from "hardhat";
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { costDown, costUp, lossToleranceWh, settleTrade, type SettlementInput } from "../../src/core/settlement";
import { UNDER_COVERAGE } from "../helpers/coverage";

// Coverage needs each path once; the plain test run checks the full counts.
const TRADES = UNDER_COVERAGE ? 40 : 400;
const INPUTS = UNDER_COVERAGE ? 30 : 300;

const SEED = 20_250_611;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT128_MAX = (1n << 128n) - 1n;

async function harnessFixture() {
  return { harness: await hre.ethers.deployContract("SettlementMathHarness") };
}

/** Random trades around the interesting edges: readings near R and tau, silent meters, odd prices, huge values. */
const inputArb: fc.Arbitrary<SettlementInput> = fc
  .record({
    agreedWh: fc.oneof(fc.bigInt({ min: 1n, max: 100_000n }), fc.bigInt({ min: 1n, max: UINT64_MAX })),
    pricePerKwh: fc.oneof(fc.bigInt({ min: 0n, max: 2_000_000n }), fc.bigInt({ min: 0n, max: UINT128_MAX })),
    lossToleranceBps: fc.bigInt({ min: 0n, max: 10_000n }),
    reward: fc.bigInt({ min: 0n, max: UINT128_MAX }),
    sellerMargin: fc.bigInt({ min: 0n, max: UINT128_MAX }),
    buyerMargin: fc.bigInt({ min: 0n, max: UINT128_MAX }),
    providerOffset: fc.option(fc.bigInt({ min: -100_000n, max: 100_000n }), { freq: 5 }),
    userOffset: fc.option(fc.bigInt({ min: -100_000n, max: 100_000n }), { freq: 5 }),
  })
  .map((x) => {
    const reading = (offset: bigint | null) => {
      if (offset === null) return null;
      const v = x.agreedWh + offset;
      return v < 0n ? 0n : v > UINT64_MAX ? UINT64_MAX : v;
    };
    return {
      agreedWh: x.agreedWh,
      pricePerKwh: x.pricePerKwh,
      lossToleranceBps: x.lossToleranceBps,
      reward: x.reward,
      prepayment: costUp(x.agreedWh, x.pricePerKwh),
      sellerMargin: x.sellerMargin,
      buyerMargin: x.buyerMargin,
      providerWh: reading(x.providerOffset),
      userWh: reading(x.userOffset),
    };
  });

describe("property: src/core/settlement.ts equals SettlementMath.sol", () => {
  it(`settle(): identical outcome on ${TRADES} random trades`, async () => {
    const { harness } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        const ts = settleTrade(input);
        const sol = await harness.settle({
          agreedWh: input.agreedWh,
          pricePerKwh: input.pricePerKwh,
          lossToleranceBps: input.lossToleranceBps,
          reward: input.reward,
          prepayment: input.prepayment,
          sellerMargin: input.sellerMargin,
          buyerMargin: input.buyerMargin,
          providerReported: input.providerWh !== null,
          providerWh: input.providerWh ?? 0n,
          userReported: input.userWh !== null,
          userWh: input.userWh ?? 0n,
        });
        expect({
          rhoWh: sol.rhoWh,
          gammaWh: sol.gammaWh,
          providerDefaulted: sol.providerDefaulted,
          userDefaulted: sol.userDefaulted,
          sellerPayment: sol.sellerPayment,
          buyerRefund: sol.buyerRefund,
          sellerCredit: sol.sellerCredit,
          buyerCredit: sol.buyerCredit,
          rewardDue: sol.rewardDue,
          deliveredWh: sol.deliveredWh,
          ratioWad: sol.ratioWad,
        }).to.deep.equal(ts);
        // conservation, whatever the inputs
        expect(ts.sellerCredit + ts.buyerCredit).to.equal(input.prepayment + input.sellerMargin + input.buyerMargin);
      }),
      { seed: SEED, numRuns: TRADES },
    );
  });

  it(`costUp, costDown and tau: identical on ${INPUTS} random inputs`, async () => {
    const { harness } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: UINT64_MAX }),
        fc.bigInt({ min: 0n, max: UINT128_MAX }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        async (energyWh, price, bps) => {
          expect(await harness.costUp(energyWh, price)).to.equal(costUp(energyWh, price));
          expect(await harness.costDown(energyWh, price)).to.equal(costDown(energyWh, price));
          expect(await harness.lossToleranceWh(energyWh, bps)).to.equal(lossToleranceWh(energyWh, bps));
          expect(costUp(energyWh, price) - costDown(energyWh, price)).to.be.oneOf([0n, 1n]);
        },
      ),
      { seed: SEED, numRuns: INPUTS },
    );
  });
});
