import { expect } from "chai";
import {
  bestReply,
  checkNash,
  checkNashBruteForce,
  InvalidMarketError,
  roundSnapshot,
  solveNash,
  type NashMarket,
  type NashRound,
} from "../../../src/core/auction";
import { CycleDetector } from "../../../src/core/auction/nashRounds";
import { cents, CENT, participant, workedExampleMarket } from "./helpers";

/** Two capacity-limited sellers: a price war down the ticks, then one jumps back up (22 rounds). */
function priceWarMarket(): NashMarket {
  return {
    tick: 1n,
    feedInTariff: 0n,
    retailTariff: 20n,
    participants: [
      participant("A", "seller", 10, 0n, 0),
      participant("B", "seller", 10, 1n, 1),
      participant("X", "buyer", 15, 20n, 0),
    ],
  };
}

describe("auction: Nash iteration", () => {
  it("reports every published round; the last one holds the final quotes", () => {
    const result = solveNash(priceWarMarket());
    expect(result.status).to.equal("converged");
    expect(result.rounds).to.have.length(22);
    const last = roundSnapshot(result.rounds, 22);
    expect(last.quotes).to.deep.equal(result.quotes);
    expect(last.allocationsWh).to.deep.equal(result.allocationsWh);
    expect(result.quotes).to.deep.equal([20n, 10n, 20n]);
    expect(checkNashBruteForce(priceWarMarket(), result.quotes).isNash).to.equal(true);
  });

  it("lists only the changes of a round (round 1 lists everyone)", () => {
    const result = solveNash(priceWarMarket());
    expect(result.rounds[0].quoteChanges.map((c) => c.index)).to.deep.equal([0, 1, 2]);
    expect(result.rounds[2].quoteChanges).to.deep.equal([{ index: 1, value: 19n }]);
    expect(result.rounds[2].allocationChanges).to.deep.equal([
      { index: 0, value: 5n },
      { index: 1, value: 10n },
    ]);
  });

  it("stops at the round limit with converged = false", () => {
    const result = solveNash(priceWarMarket(), { maxRounds: 5 });
    expect(result).to.deep.include({ status: "roundLimit", converged: false });
    expect(result.rounds).to.have.length(5);
    expect(() => solveNash(priceWarMarket(), { maxRounds: 0 })).to.throw(RangeError, /maxRounds/);
  });

  it("only round-1 traders of the long side adjust; the short side keeps its quote", () => {
    const market = workedExampleMarket();
    const result = solveNash(market);
    expect(result.adjusting.map((i) => market.participants[i].id)).to.deep.equal(["E", "H"]);
    expect(result.quotes[4]).to.equal(cents(100));
  });

  it("in a seller's market the buyers compete, bidding down to the lowest bid that keeps their place", () => {
    const market: NashMarket = {
      tick: CENT,
      feedInTariff: cents(30),
      retailTariff: cents(100),
      participants: [
        participant("S", "seller", 6, cents(40), 0),
        participant("X", "buyer", 4, cents(90), 0),
        participant("Y", "buyer", 4, cents(70), 1),
        participant("Z", "buyer", 4, cents(60), 2),
      ],
    };
    const result = solveNash(market);
    expect(result.market).to.equal("seller");
    // X holds rank 1 at Y's bid (winning the tie by its higher maximum); Y, marginal, bids Z's 0.60.
    expect(result.quotes).to.deep.equal([cents(40), cents(70), cents(60), cents(60)]);
    expect(result.price).to.equal(cents(60));
    expect(checkNash(market, result.quotes).isNash).to.equal(true);
  });

  it("in a balanced market the sellers push the price up to the retail tariff", () => {
    const market: NashMarket = {
      tick: CENT,
      feedInTariff: cents(30),
      retailTariff: cents(100),
      participants: [
        participant("A", "seller", 5, cents(40), 0),
        participant("B", "seller", 5, cents(50), 1),
        participant("X", "buyer", 10, cents(90), 0),
      ],
    };
    const result = solveNash(market);
    expect(result).to.deep.include({ market: "balanced", status: "converged", price: cents(100) });
    expect(checkNashBruteForce(market, result.quotes).isNash).to.equal(true);
  });

  it("clips reservations outside the tariffs in round 1", () => {
    const market: NashMarket = {
      tick: CENT,
      feedInTariff: cents(30),
      retailTariff: cents(100),
      participants: [participant("A", "seller", 5, cents(10), 0), participant("X", "buyer", 3, cents(120), 0)],
    };
    const round1 = roundSnapshot(solveNash(market).rounds, 1);
    expect(round1.quotes).to.deep.equal([cents(30), cents(100)]);
  });

  it("an empty market publishes one round and trades nothing", () => {
    const market: NashMarket = {
      ...workedExampleMarket(),
      participants: workedExampleMarket().participants.slice(0, 4),
    };
    const result = solveNash(market);
    expect(result).to.deep.include({ market: "empty", status: "converged", price: 0n });
    expect(result.rounds).to.have.length(1);
    expect(result.allocationsWh.every((a) => a === 0n)).to.equal(true);
  });

  it("rejects invalid markets with the reason", () => {
    const market = workedExampleMarket();
    const offTick = { ...market, participants: [participant("A", "seller", 5, 12_345n, 0), ...market.participants] };
    expect(() => solveNash(offTick)).to.throw(
      InvalidMarketError,
      /reservation 12345 must be a non-negative whole tick/,
    );
    const badTariffs = { ...market, feedInTariff: cents(120) };
    expect(() => solveNash(badTariffs)).to.throw(InvalidMarketError, /above retailTariff/);
    const duplicate = { ...market, participants: [...market.participants, participant("E", "buyer", 1, cents(90), 5)] };
    expect(() => solveNash(duplicate)).to.throw(InvalidMarketError, /duplicate id/);
  });

  describe("bestReply", () => {
    const market = workedExampleMarket();
    const round1 = [cents(50), cents(64), cents(74), cents(40), cents(100)];

    it("E's best reply to round 1 is 0.64: it keeps its rank and sets the price", () => {
      expect(bestReply(market, round1, 0)).to.deep.equal({
        quote: cents(64),
        utility: (cents(64) - cents(50)) * 10_000n,
      });
    });

    it("H's best reply to round 1 is 0.50: the highest ask that keeps it first", () => {
      expect(bestReply(market, round1, 3)).to.deep.equal({
        quote: cents(50),
        utility: (cents(50) - cents(40)) * 3_000n,
      });
    });

    it("a short-side participant keeps its quote", () => {
      expect(bestReply(market, round1, 4)).to.deep.equal({
        quote: cents(100),
        utility: (cents(100) - cents(50)) * 13_000n,
      });
    });

    it("refuses a profile with a quote outside the allowed range", () => {
      const belowMinimum = [cents(45), ...round1.slice(1)];
      expect(() => bestReply(market, belowMinimum, 1)).to.throw(InvalidMarketError, /E: quote/);
    });
  });

  describe("CycleDetector", () => {
    const round = (n: number, changes: Array<[number, bigint]>): NashRound => ({
      round: n,
      price: 0n,
      quoteChanges: changes.map(([index, value]) => ({ index, value })),
      allocationChanges: [],
    });

    it("reports a profile of round 2 or later that comes back", () => {
      const detector = new CycleDetector();
      const rounds: NashRound[] = [];
      const feed = (r: NashRound): boolean => {
        rounds.push(r);
        return detector.repeats(rounds);
      };
      expect(
        feed(
          round(1, [
            [0, 1n],
            [1, 2n],
          ]),
        ),
      ).to.equal(false);
      expect(feed(round(2, [[0, 3n]]))).to.equal(false);
      expect(feed(round(3, [[0, 1n]]))).to.equal(false); // equals round 1, which does not count
      expect(feed(round(4, [[0, 4n]]))).to.equal(false);
      expect(feed(round(5, [[0, 3n]]))).to.equal(true); // equals round 2
    });
  });
});
