import { expect } from "chai";
import { checkNash, marketKindOf, randomMarket, solveNash } from "../../../src/core/auction";
import { seededRandom } from "../../../src/core/random";

describe("auction: deterministic random markets", () => {
  it("the same seed gives the same market, another seed another one", () => {
    expect(randomMarket(50, 7)).to.deep.equal(randomMarket(50, 7));
    expect(randomMarket(50, 7)).not.to.deep.equal(randomMarket(50, 8));
  });

  it("draws whole-tick reservations between the tariffs and positive energies", () => {
    const market = randomMarket(200, 3);
    expect(market.participants).to.have.length(200);
    for (const p of market.participants) {
      expect(p.reservation % market.tick).to.equal(0n);
      expect(p.reservation >= market.feedInTariff && p.reservation <= market.retailTariff).to.equal(true);
      expect(p.energyWh > 0n).to.equal(true);
    }
  });

  it("seededRandom is reproducible and stays in range", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const draws = Array.from({ length: 100 }, () => a.int(3, 9));
    expect(draws).to.deep.equal(Array.from({ length: 100 }, () => b.int(3, 9)));
    expect(draws.every((d) => d >= 3 && d <= 9)).to.equal(true);
    expect(new Set(draws).size).to.equal(7);
    expect(() => a.int(5, 4)).to.throw(RangeError);
  });

  it("a 10,000-participant market solves to a Nash equilibrium", function () {
    this.timeout(10_000);
    const market = randomMarket(10_000, 1);
    const result = solveNash(market);
    expect(result.status).to.equal("converged");
    expect(result.market).to.equal(marketKindOf(market));
    expect(checkNash(market, result.quotes).isNash).to.equal(true);
  });
});
