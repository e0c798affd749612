import { expect } from "chai";
import { scaleExactly } from "../../src/core/decimal";

describe("auction: exact decimal scaling of JSON numbers", () => {
  it("scales what the literal says, exactly", () => {
    expect(scaleExactly(0.64, 6)).to.equal(640_000n);
    expect(scaleExactly(0.3, 6)).to.equal(300_000n);
    expect(scaleExactly(12, 3)).to.equal(12_000n);
    expect(scaleExactly(1.005, 3)).to.equal(1_005n);
    expect(scaleExactly(-0.25, 2)).to.equal(-25n);
    expect(scaleExactly(1e21, 0)).to.equal(10n ** 21n);
    expect(scaleExactly(1.5e-5, 6)).to.equal(15n);
  });

  it("refuses anything finer than the unit instead of rounding it away", () => {
    expect(scaleExactly(0.5000001, 6)).to.equal(null);
    expect(scaleExactly(1.0005, 3)).to.equal(null);
    expect(scaleExactly(1e-7, 6)).to.equal(null);
    expect(scaleExactly(Number.NaN, 6)).to.equal(null);
    expect(scaleExactly(Number.POSITIVE_INFINITY, 6)).to.equal(null);
  });
});
