import { expect } from "chai";
import { clearMarket, InvalidOrderError, orderUtility, type Clearing } from "../../../src/core/auction";
import { order, orders } from "./helpers";

const allocation = (clearing: Clearing, id: string): bigint | undefined => clearing.allocations.get(id);

describe("auction: reference clearing (SPEC section 3)", () => {
  describe("buyer's market (supply > demand)", () => {
    it("m with energy left: m sells the rest of D at its own ask, later sellers nothing", () => {
      const c = clearMarket(
        orders([
          ["A", "seller", 5, 40],
          ["B", "seller", 10, 50],
          ["C", "seller", 10, 60],
          ["X", "buyer", 8, 90],
        ]),
      );
      expect(c.market).to.equal("buyer");
      expect(c.price).to.equal(50n);
      expect(c.marginal).to.deep.equal({ id: "B", side: "seller", position: 1 });
      expect(c.priceSetter).to.deep.equal(c.marginal);
      expect([allocation(c, "A"), allocation(c, "B"), allocation(c, "C"), allocation(c, "X")]).to.deep.equal([
        5n,
        3n,
        0n,
        8n,
      ]);
      expect(c.sellerOrder).to.deep.equal(["A", "B", "C"]);
    });

    it("m sold exactly all it had: the price is the ask of seller m+1", () => {
      const c = clearMarket(
        orders([
          ["A", "seller", 5, 40],
          ["B", "seller", 3, 50],
          ["C", "seller", 10, 60],
          ["X", "buyer", 8, 90],
        ]),
      );
      expect(c.price).to.equal(60n);
      expect(c.marginal?.id).to.equal("B");
      expect(c.priceSetter).to.deep.equal({ id: "C", side: "seller", position: 2 });
      expect(allocation(c, "C")).to.equal(0n);
    });

    it("every buyer buys its whole demand, whatever its bid", () => {
      const c = clearMarket(
        orders([
          ["A", "seller", 20, 70],
          ["X", "buyer", 4, 35],
          ["Y", "buyer", 6, 90],
        ]),
      );
      expect([allocation(c, "X"), allocation(c, "Y")]).to.deep.equal([4n, 6n]);
      expect(c.price).to.equal(70n);
      expect(c.buyerOrder).to.deep.equal(["Y", "X"]);
    });
  });

  describe("seller's market (supply < demand)", () => {
    it("m with need left: m buys the rest of S at its own bid", () => {
      const c = clearMarket(
        orders([
          ["A", "seller", 7, 40],
          ["X", "buyer", 5, 90],
          ["Y", "buyer", 5, 80],
          ["Z", "buyer", 5, 70],
        ]),
      );
      expect(c.market).to.equal("seller");
      expect(c.price).to.equal(80n);
      expect(c.marginal).to.deep.equal({ id: "Y", side: "buyer", position: 1 });
      expect([allocation(c, "X"), allocation(c, "Y"), allocation(c, "Z"), allocation(c, "A")]).to.deep.equal([
        5n,
        2n,
        0n,
        7n,
      ]);
    });

    it("m's need covered exactly: the price is the bid of buyer m+1", () => {
      const c = clearMarket(
        orders([
          ["A", "seller", 10, 40],
          ["X", "buyer", 5, 90],
          ["Y", "buyer", 5, 80],
          ["Z", "buyer", 5, 70],
        ]),
      );
      expect(c.price).to.equal(70n);
      expect(c.marginal?.id).to.equal("Y");
      expect(c.priceSetter?.id).to.equal("Z");
    });
  });

  it("balanced market: everyone trades in full at the last seller's ask", () => {
    const c = clearMarket(
      orders([
        ["A", "seller", 4, 60],
        ["B", "seller", 6, 45],
        ["X", "buyer", 10, 30],
      ]),
    );
    expect(c.market).to.equal("balanced");
    expect(c.price).to.equal(60n);
    expect(c.marginal).to.deep.equal({ id: "A", side: "seller", position: 1 });
    expect([...c.allocations.values()]).to.deep.equal([4n, 6n, 10n]);
  });

  describe("equal quotes", () => {
    it("sellers: the lower reservation ranks first, then the earlier seq", () => {
      const c = clearMarket([
        order("late", "seller", 5, 50, { reservation: 40, seq: 2 }),
        order("early", "seller", 5, 50, { reservation: 40, seq: 1 }),
        order("cheap", "seller", 5, 50, { reservation: 30, seq: 3 }),
        order("X", "buyer", 7, 90),
      ]);
      expect(c.sellerOrder).to.deep.equal(["cheap", "early", "late"]);
      expect([allocation(c, "cheap"), allocation(c, "early"), allocation(c, "late")]).to.deep.equal([5n, 2n, 0n]);
    });

    it("buyers: the higher reservation ranks first, then the earlier seq", () => {
      const c = clearMarket([
        order("A", "seller", 7, 40),
        order("late", "buyer", 5, 80, { reservation: 90, seq: 2 }),
        order("early", "buyer", 5, 80, { reservation: 90, seq: 1 }),
        order("rich", "buyer", 5, 80, { reservation: 99, seq: 3 }),
      ]);
      expect(c.buyerOrder).to.deep.equal(["rich", "early", "late"]);
      expect([allocation(c, "rich"), allocation(c, "early"), allocation(c, "late")]).to.deep.equal([5n, 2n, 0n]);
    });
  });

  describe("empty side", () => {
    it("no buyers: nothing trades, price 0", () => {
      const c = clearMarket(orders([["A", "seller", 5, 40]]));
      expect(c).to.deep.include({ market: "empty", price: 0n, marginal: null, priceSetter: null });
      expect(allocation(c, "A")).to.equal(0n);
    });

    it("no sellers, and no orders at all", () => {
      expect(clearMarket(orders([["X", "buyer", 5, 40]])).market).to.equal("empty");
      expect(clearMarket([]).market).to.equal("empty");
    });
  });

  describe("preconditions", () => {
    it("rejects zero energy, duplicate ids and a seq used twice on one side", () => {
      expect(() => clearMarket([order("A", "seller", 0, 40)])).to.throw(InvalidOrderError, /energyWh must be positive/);
      expect(() => clearMarket([order("A", "seller", 1, 40), order("A", "buyer", 1, 40)])).to.throw(/duplicate id/);
      expect(() => clearMarket([order("A", "seller", 1, 40), order("B", "seller", 1, 40)])).to.throw(
        /seq 0 is used twice/,
      );
    });

    it("accepts the same seq on different sides", () => {
      expect(() => clearMarket([order("A", "seller", 1, 40), order("X", "buyer", 1, 40)])).not.to.throw();
    });
  });

  it("orderUtility: (price - min) x sold for sellers, (max - price) x bought for buyers", () => {
    const list = orders([
      ["A", "seller", 5, 40, 30],
      ["X", "buyer", 4, 90, 95],
    ]);
    const c = clearMarket(list);
    expect(c.price).to.equal(40n);
    expect(orderUtility(list[0], c)).to.equal((40n - 30n) * 4n);
    expect(orderUtility(list[1], c)).to.equal((95n - 40n) * 4n);
  });
});
