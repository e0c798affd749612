import { expect } from "chai";
import {
  clearMarket,
  clearWithMeritOrder,
  compareBuyers,
  compareSellers,
  InvalidOrderError,
  meritOrder,
  verifyMeritOrder,
} from "../../../src/core/auction";
import { order, orders } from "./helpers";

describe("auction: merit order", () => {
  it("comparators return -1, 0 or 1 and rank by quote, reservation, seq", () => {
    const a = order("a", "seller", 1, 50, { reservation: 40, seq: 1 });
    const b = order("b", "seller", 1, 50, { reservation: 40, seq: 2 });
    expect(compareSellers(a, b)).to.equal(-1);
    expect(compareSellers(b, a)).to.equal(1);
    expect(compareSellers(a, a)).to.equal(0);
    expect(compareSellers(order("c", "seller", 1, 49, { reservation: 49 }), a)).to.equal(-1);
    expect(compareBuyers(order("x", "buyer", 1, 60), order("y", "buyer", 1, 50))).to.equal(-1);
    expect(
      compareBuyers(order("x", "buyer", 1, 60, { reservation: 70 }), order("y", "buyer", 1, 60, { reservation: 80 })),
    ).to.equal(1);
  });

  describe("verifyMeritOrder: one pass, rules checked in order", () => {
    const list = orders([
      ["S0", "seller", 5, 50],
      ["X", "buyer", 5, 90],
      ["S1", "seller", 5, 40],
      ["S2", "seller", 5, 60],
    ]);
    const sorted = meritOrder(list, "seller");

    it("accepts the sorted permutation", () => {
      expect(sorted).to.deep.equal([2, 0, 3]);
      expect(verifyMeritOrder(list, sorted, "seller")).to.deep.equal({ valid: true });
    });

    const cases: Array<[string, number[], string, number]> = [
      ["a missing entry", [2, 0], "length", 2],
      ["an index outside the orders", [2, 0, 7], "range", 2],
      ["a non-integer index", [2, 0.5, 3], "range", 1],
      ["an order of the other side", [2, 0, 1], "side", 2],
      ["a repeated order", [2, 2, 3], "duplicate", 1],
      ["two neighbours in the wrong order", [0, 2, 3], "order", 1],
    ];
    for (const [what, permutation, rule, position] of cases) {
      it(`rejects ${what} (rule "${rule}")`, () => {
        const check = verifyMeritOrder(list, permutation, "seller");
        expect(check).to.deep.include({ valid: false, rule, position });
        if (!check.valid) expect(check.message).to.match(new RegExp(`rule "${rule}"`));
      });
    }

    it("clearWithMeritOrder clears like the sort and throws on a bad permutation", () => {
      expect(clearWithMeritOrder(list, sorted, [1])).to.deep.equal(clearMarket(list));
      expect(() => clearWithMeritOrder(list, [0, 2, 3], [1])).to.throw(
        InvalidOrderError,
        /seller merit order.*"order"/,
      );
      expect(() => clearWithMeritOrder(list, sorted, [])).to.throw(InvalidOrderError, /buyer merit order.*"length"/);
    });
  });
});
