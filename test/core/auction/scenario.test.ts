import { expect } from "chai";
import { parseScenario, runScenario, ScenarioError } from "../../../src/core/auction";

/** A small valid scenario; each case below breaks one thing. */
function valid(): Record<string, unknown> {
  return {
    tick: 0.01,
    feedInTariff: 0.3,
    retailTariff: 1.0,
    batteryCapacityKwh: 50,
    sellers: [
      { id: "E", kwh: 12, minPrice: 0.5, soc: 0.86 },
      { id: "H", kwh: 3, minPrice: 0.4, soc: 1 },
    ],
    buyers: [{ id: "X", kwh: 13, maxPrice: 1.0, soc: 0.5 }],
  };
}

function withSeller(changes: Record<string, unknown>, index = 0): Record<string, unknown> {
  const scenario = valid();
  const sellers = (scenario.sellers as Array<Record<string, unknown>>).slice();
  sellers[index] = { ...sellers[index], ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete sellers[index][key];
  return { ...scenario, sellers };
}

function without(field: string): Record<string, unknown> {
  const scenario = valid();
  delete scenario[field];
  return scenario;
}

describe("auction: scenario validation", () => {
  it("parses decimals exactly into Wh and base units per kWh", () => {
    const scenario = parseScenario(valid());
    expect(scenario).to.deep.include({
      tick: 10_000n,
      feedInTariff: 300_000n,
      retailTariff: 1_000_000n,
      priceDecimals: 2,
    });
    expect(scenario.participants[0]).to.deep.include({
      id: "E",
      side: "seller",
      seq: 0,
      energyWh: 12_000n,
      reservation: 500_000n,
      capacityWh: 50_000n,
      storedWh: 43_000n,
    });
    expect(scenario.participants.map((p) => p.id)).to.deep.equal(["E", "H", "X"]);
  });

  it("lets a participant carry its own battery capacity (0 = no battery)", () => {
    const scenario = parseScenario(withSeller({ batteryCapacityKwh: 0, soc: 0 }, 1));
    expect(scenario.participants[1]).to.deep.include({ capacityWh: 0n, storedWh: 0n });
    const noDefault = withSeller({ batteryCapacityKwh: 10 });
    delete noDefault.batteryCapacityKwh;
    expect(() => parseScenario(noDefault)).to.throw(/sellers\[1\]\.batteryCapacityKwh: is missing/);
  });

  const invalid: Array<[string, unknown, string, RegExp]> = [
    ["not an object", [1, 2], "scenario", /must be an object/],
    ["a missing tick", without("tick"), "tick", /is missing/],
    ["a zero tick", { ...valid(), tick: 0 }, "tick", /must be positive/],
    [
      "a tariff that is not a whole tick",
      { ...valid(), feedInTariff: 0.305 },
      "feedInTariff",
      /0.305 is not a whole number of ticks of 0.01/,
    ],
    [
      "a retail tariff below the feed-in tariff",
      { ...valid(), retailTariff: 0.2 },
      "retailTariff",
      /must be above the feed-in tariff/,
    ],
    ["a negative price", { ...valid(), feedInTariff: -0.1 }, "feedInTariff", /must not be negative/],
    [
      "a price with too many decimals",
      withSeller({ minPrice: 0.5000001 }),
      "sellers[0].minPrice",
      /more than 6 decimals/,
    ],
    ["zero energy", withSeller({ kwh: 0 }), "sellers[0].kwh", /must be positive \(got 0\)/],
    ["negative energy", withSeller({ kwh: -2 }), "sellers[0].kwh", /must be positive \(got -2\)/],
    ["energy finer than a Wh", withSeller({ kwh: 1.0005 }), "sellers[0].kwh", /not a whole number of Wh/],
    [
      "a price below the feed-in tariff",
      withSeller({ minPrice: 0.25 }),
      "sellers[0].minPrice",
      /between the feed-in and the retail tariff/,
    ],
    [
      "a price above the retail tariff",
      withSeller({ minPrice: 1.2 }),
      "sellers[0].minPrice",
      /between the feed-in and the retail tariff/,
    ],
    [
      "a price that is not a whole tick",
      withSeller({ minPrice: 0.505 }),
      "sellers[0].minPrice",
      /not a whole number of ticks/,
    ],
    ["a missing price", withSeller({ minPrice: undefined }), "sellers[0].minPrice", /is missing/],
    ["a price given as text", withSeller({ minPrice: "0.50" }), "sellers[0].minPrice", /must be a number/],
    ["a duplicate id", withSeller({ id: "X" }, 1), "buyers[0].id", /"X" is used twice/],
    ["an empty id", withSeller({ id: "" }), "sellers[0].id", /must not be empty/],
    ["a missing id", withSeller({ id: undefined }), "sellers[0].id", /is missing/],
    ["an empty side", { ...valid(), buyers: [] }, "buyers", /at least one buyer/],
    ["a missing side", without("sellers"), "sellers", /is missing/],
    ["a side that is not a list", { ...valid(), sellers: {} }, "sellers", /must be a list/],
    ["a state of charge above 1", withSeller({ soc: 1.2 }), "sellers[0].soc", /between 0 and 1 \(got 1.2\)/],
    ["a negative state of charge", withSeller({ soc: -0.1 }), "sellers[0].soc", /between 0 and 1/],
    ["a missing state of charge", withSeller({ soc: undefined }), "sellers[0].soc", /is missing/],
    ["a misspelt field", withSeller({ minprice: 0.5 }), "sellers[0].minprice", /is not a known field/],
    ["a buyer's field on a seller", withSeller({ maxPrice: 0.5 }), "sellers[0].maxPrice", /is not a known field/],
    ["an unknown top-level field", { ...valid(), tariff: 1 }, "scenario.tariff", /is not a known field/],
  ];
  for (const [what, input, field, message] of invalid) {
    it(`rejects ${what}, naming ${field}`, () => {
      let error: unknown;
      try {
        parseScenario(input);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ScenarioError);
      expect((error as ScenarioError).field).to.equal(field);
      expect((error as ScenarioError).message).to.match(message);
      expect((error as ScenarioError).message.startsWith(`${field}: `)).to.equal(true);
    });
  }

  it("the report has exactly the documented shape", () => {
    const report = runScenario(parseScenario(valid()));
    expect(Object.keys(report)).to.deep.equal(["market", "price", "converged", "nash", "rounds", "participants"]);
    expect(Object.keys(report.rounds[0])).to.deep.equal(["round", "price", "quotes"]);
    expect(Object.keys(report.participants[0])).to.deep.equal([
      "id",
      "side",
      "quote",
      "tradedKwh",
      "batteryKwh",
      "gridKwh",
      "socAfter",
    ]);
  });
});
