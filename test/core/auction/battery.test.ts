import { expect } from "chai";
import { settleStorage, socToStoredWh, storedWhToSoc } from "../../../src/core/auction";

const battery = (capacityWh: bigint, storedWh: bigint) => ({ capacityWh, storedWh });

describe("auction: battery and grid accounting", () => {
  it("a seller's unsold surplus charges its battery up to capacity, the rest goes to the grid", () => {
    const outcome = settleStorage({
      id: "S",
      side: "seller",
      energyWh: 10_000n,
      tradedWh: 2_000n,
      battery: battery(50_000n, 45_000n),
    });
    expect(outcome).to.deep.include({
      tradedWh: 2_000n,
      batteryWh: 5_000n,
      gridWh: 3_000n,
      storedAfterWh: 50_000n,
      socAfter: 1,
    });
  });

  it("a buyer's unmet deficit comes from its battery down to empty, then from the grid", () => {
    const outcome = settleStorage({
      id: "B",
      side: "buyer",
      energyWh: 8_000n,
      tradedWh: 1_000n,
      battery: battery(50_000n, 5_000n),
    });
    expect(outcome).to.deep.include({ batteryWh: 5_000n, gridWh: 2_000n, storedAfterWh: 0n, socAfter: 0 });
  });

  it("without a battery everything left goes to or comes from the grid", () => {
    const seller = settleStorage({ id: "S", side: "seller", energyWh: 4n, tradedWh: 1n, battery: battery(0n, 0n) });
    expect(seller).to.deep.include({ batteryWh: 0n, gridWh: 3n, socAfter: 0 });
  });

  it("a participant that trades everything leaves its battery alone", () => {
    const outcome = settleStorage({ id: "S", side: "seller", energyWh: 4n, tradedWh: 4n, battery: battery(10n, 7n) });
    expect(outcome).to.deep.include({ batteryWh: 0n, gridWh: 0n, storedAfterWh: 7n });
  });

  it("rejects impossible positions", () => {
    expect(() =>
      settleStorage({ id: "S", side: "seller", energyWh: 4n, tradedWh: 5n, battery: battery(10n, 0n) }),
    ).to.throw(RangeError, /traded 5 Wh is outside 0..4 Wh/);
    expect(() =>
      settleStorage({ id: "S", side: "seller", energyWh: 4n, tradedWh: 1n, battery: battery(10n, 11n) }),
    ).to.throw(/stored 11 Wh/);
  });

  it("converts a state of charge to Wh exactly: millionths, then the nearest Wh", () => {
    expect(socToStoredWh(0.86, 50_000n)).to.equal(43_000n);
    expect(socToStoredWh(1 / 3, 1_000n)).to.equal(333n);
    expect(socToStoredWh(0.0015, 1_000n)).to.equal(2n); // 1.5 Wh rounds half up
    expect(socToStoredWh(1, 0n)).to.equal(0n);
    expect(() => socToStoredWh(1.01, 1_000n)).to.throw(RangeError, /outside \[0, 1\]/);
    expect(storedWhToSoc(45_000n, 50_000n)).to.equal(0.9);
  });
});
