import { expect } from "chai";
import { clearMarket, tradesFromClearing, type Clearing } from "../../../src/core/auction";
import { orders } from "./helpers";

describe("auction: bilateral trades from a clearing", () => {
  it("walks both merit orders: cheapest seller serves the highest bidder first", () => {
    const clearing = clearMarket(
      orders([
        ["A", "seller", 5, 40],
        ["B", "seller", 10, 50],
        ["C", "seller", 10, 60],
        ["X", "buyer", 4, 70],
        ["Y", "buyer", 8, 90],
      ]),
    );
    expect(tradesFromClearing(clearing)).to.deep.equal([
      { sellerId: "A", buyerId: "Y", energyWh: 5n, price: 50n },
      { sellerId: "B", buyerId: "Y", energyWh: 3n, price: 50n },
      { sellerId: "B", buyerId: "X", energyWh: 4n, price: 50n },
    ]);
  });

  it("skips orders that trade nothing, wherever they sit in the stacks", () => {
    const clearing = clearMarket(
      orders([
        ["A", "seller", 3, 40],
        ["X", "buyer", 2, 90],
        ["Y", "buyer", 2, 80],
        ["Z", "buyer", 2, 70],
      ]),
    );
    const trades = tradesFromClearing(clearing);
    expect(trades.map((t) => t.buyerId)).to.deep.equal(["X", "Y"]);
    expect(trades.every((t) => t.energyWh > 0n)).to.equal(true);
  });

  it("an empty market has no trades", () => {
    expect(tradesFromClearing(clearMarket(orders([["A", "seller", 3, 40]])))).to.deep.equal([]);
  });

  it("refuses allocations that do not balance", () => {
    const clearing = clearMarket(
      orders([
        ["A", "seller", 3, 40],
        ["X", "buyer", 3, 90],
      ]),
    );
    const broken: Clearing = {
      ...clearing,
      allocations: new Map([
        ["A", 3n],
        ["X", 2n],
      ]),
    };
    expect(() => tradesFromClearing(broken)).to.throw(/1 Wh of seller allocations have no counterparty/);
  });
});
