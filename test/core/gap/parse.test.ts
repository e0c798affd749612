import { expect } from "chai";
import { parseGapInstance } from "../../../src/core/gap";

describe("GAP instance parser", () => {
  const text = `
     2 3
     1 2 3
     4 5 6
     7 8 9
     10 11 12
     15 20
  `;

  it("reads values, resources and capacities agent by agent", () => {
    const instance = parseGapInstance(text, "min");
    expect(instance).to.deep.equal({
      agents: 2,
      jobs: 3,
      value: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      resource: [
        [7, 8, 9],
        [10, 11, 12],
      ],
      capacity: [15, 20],
      objective: "min",
    });
  });

  it("accepts any whitespace, including line breaks inside a row", () => {
    const squeezed = "2 3\t1 2\n3 4 5 6 7 8 9 10 11 12\r\n15 20";
    expect(parseGapInstance(squeezed, "max")).to.deep.equal({ ...parseGapInstance(text, "max") });
  });

  it("rejects a file with too few or too many numbers", () => {
    expect(() => parseGapInstance("2 3 1 2 3", "min")).to.throw(SyntaxError, /needs 16 integers, found 5/);
    expect(() => parseGapInstance(text + " 99", "min")).to.throw(SyntaxError, /found 17/);
    expect(() => parseGapInstance("", "min")).to.throw(SyntaxError, /header/);
  });

  it("rejects tokens that are not integers", () => {
    expect(() => parseGapInstance(text.replace("11", "1.5"), "min")).to.throw(SyntaxError, /"1.5" is not an integer/);
  });

  it("rejects negative resources through the instance validation", () => {
    expect(() => parseGapInstance(text.replace("10 11", "-10 11"), "min")).to.throw(RangeError, /resource\[1\]\[0\]/);
  });
});
