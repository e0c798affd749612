import { expect } from "chai";
import { barChart } from "../../../src/core/charts/barChart";
import { lineChart } from "../../../src/core/charts/lineChart";
import { stepChart } from "../../../src/core/charts/stepChart";

const wellFormed = (svg: string) => {
  expect(svg.startsWith("<svg ")).to.equal(true);
  expect(svg.endsWith("</svg>")).to.equal(true);
  // every element is closed: as many closing tags and self-closed elements as opening ones
  const opened = (svg.match(/<[a-z]+[\s>]/g) ?? []).length;
  const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length + (svg.match(/\/>/g) ?? []).length;
  expect(closed).to.equal(opened);
};

describe("charts: pure SVG strings", () => {
  it("a step chart draws each stack from x = 0, tags its steps and marks reference lines", () => {
    const svg = stepChart(
      [
        {
          label: "supply",
          steps: [
            { width: 3, value: 0.5, tag: "H" },
            { width: 12, value: 0.64, tag: "E" },
          ],
        },
        { label: "demand <buyers>", steps: [{ width: 13, value: 1 }] },
      ],
      {
        title: "Hour 24",
        xLabel: "kWh",
        yLabel: "price",
        yMin: 0.3,
        yMax: 1,
        lines: [{ label: "price 0.64", y: 0.64 }],
      },
    );
    wellFormed(svg);
    expect(svg).to.contain(">H</text>").and.contain(">E</text>");
    expect(svg).to.contain("demand &lt;buyers&gt;");
    expect(svg).to.contain('stroke-dasharray="6 4"');
    expect((svg.match(/<path /g) ?? []).length).to.equal(2);
    expect(svg).to.equal(
      stepChart(
        [
          {
            label: "supply",
            steps: [
              { width: 3, value: 0.5, tag: "H" },
              { width: 12, value: 0.64, tag: "E" },
            ],
          },
          { label: "demand <buyers>", steps: [{ width: 13, value: 1 }] },
        ],
        {
          title: "Hour 24",
          xLabel: "kWh",
          yLabel: "price",
          yMin: 0.3,
          yMax: 1,
          lines: [{ label: "price 0.64", y: 0.64 }],
        },
      ),
      "deterministic",
    );
  });

  it("a bar chart draws one bar per category and series, with the formatted values", () => {
    const svg = barChart(
      ["E", "F", "G"],
      [
        { label: "before", values: [0.86, 0.66, 0.52] },
        { label: "after", values: [0.9, 0.92, 0.54] },
      ],
      {
        title: "SoC",
        xLabel: "prosumer",
        yLabel: "state of charge",
        yMin: 0,
        yMax: 1,
        format: (v) => `${Math.round(v * 100)}%`,
      },
    );
    wellFormed(svg);
    // 6 bars + 2 legend boxes + the background and the frame
    expect((svg.match(/<rect /g) ?? []).length).to.equal(6 + 2 + 2);
    expect(svg).to.contain(">92%</text>");
    expect(() => barChart(["E"], [{ label: "x", values: [1, 2] }], { title: "", xLabel: "", yLabel: "" })).to.throw(
      /2 values for 1 categories/,
    );
  });

  it("a line chart is well-formed", () => {
    wellFormed(
      lineChart(
        [
          {
            label: "P1",
            points: [
              [1, 0.4],
              [2, 0.64],
            ],
          },
        ],
        { title: "RC", xLabel: "cycle", yLabel: "RC" },
      ),
    );
  });
});
