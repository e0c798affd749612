import { expect } from "chai";
import {
  formatRoundTrace,
  parseScenario,
  roundSnapshots,
  runScenario,
  runScenarioDetailed,
  solveNash,
  type ReportParticipant,
} from "../../../src/core/auction";
import { cents, loadScenarioJson, workedExampleMarket } from "./helpers";

describe("auction: SPEC worked example (paper A, hour 24, buyer's market)", () => {
  const scenario = parseScenario(loadScenarioJson("hour24-buyers-market.json"));
  const report = runScenario(scenario);
  const byId = new Map<string, ReportParticipant>(report.participants.map((p) => [p.id, p]));

  it("is a buyer's market that converges to a Nash equilibrium at 0.64", () => {
    expect(report.market).to.equal("buyer");
    expect(report.price).to.equal(0.64);
    expect(report.converged).to.equal(true);
    expect(report.nash).to.equal(true);
  });

  it("publishes exactly rounds 1 and 2 (round 3 changes nothing and is not published)", () => {
    expect(report.rounds.map((r) => r.round)).to.deep.equal([1, 2]);
  });

  it("round 1: everyone quotes its minimum price; price 0.50", () => {
    expect(report.rounds[0].price).to.equal(0.5);
    expect(report.rounds[0].quotes).to.include({ E: 0.5, F: 0.64, G: 0.74, H: 0.4 });
  });

  it("round 2: E and H raise their quotes, F and G keep theirs; price 0.64", () => {
    expect(report.rounds[1].price).to.equal(0.64);
    expect(report.rounds[1].quotes).to.include({ E: 0.64, F: 0.64, G: 0.74, H: 0.5 });
  });

  it("E sells 10 kWh and H 3 kWh in both rounds; F and G sell nothing", () => {
    const result = solveNash(workedExampleMarket());
    const sold = [...roundSnapshots(result.rounds)].map((s) => s.allocationsWh.slice(0, 4));
    expect(sold).to.deep.equal([
      [10_000n, 0n, 0n, 3_000n],
      [10_000n, 0n, 0n, 3_000n],
    ]);
    expect(result.adjusting).to.deep.equal([0, 3]); // only E and H were matched in round 1
  });

  it("round 3 changes no quote: a two-round limit still converges", () => {
    const result = solveNash(workedExampleMarket(), { maxRounds: 2 });
    expect(result.status).to.equal("converged");
    expect(result.quotes.slice(0, 4)).to.deep.equal([cents(64), cents(64), cents(74), cents(50)]);
  });

  it("settles storage: E charges 2, F 13, G 1 kWh; H's full battery stays full; nothing to the grid", () => {
    const expected: Record<string, [number, number, number, number]> = {
      E: [10, 2, 0, 0.9],
      F: [0, 13, 0, 0.92],
      G: [0, 1, 0, 0.54],
      H: [3, 0, 0, 1],
    };
    for (const [id, [tradedKwh, batteryKwh, gridKwh, socAfter]] of Object.entries(expected)) {
      expect(byId.get(id), id).to.deep.include({ side: "seller", tradedKwh, batteryKwh, gridKwh, socAfter });
    }
    expect(byId.get("E")?.quote).to.equal(0.64);
    expect(byId.get("H")?.quote).to.equal(0.5);
    expect(report.participants.every((p) => p.gridKwh === 0)).to.equal(true);
  });

  it("the buyers (13 kWh in total) buy their whole demand from the market", () => {
    const buyers = report.participants.filter((p) => p.side === "buyer");
    expect(buyers.reduce((sum, b) => sum + b.tradedKwh, 0)).to.equal(13);
    expect(buyers.every((b) => b.batteryKwh === 0 && b.gridKwh === 0)).to.equal(true);
  });

  it("the bilateral trades carry 13 kWh at 0.64 from H and E", () => {
    const run = runScenarioDetailed(scenario);
    expect(run.trades.every((t) => t.price === cents(64))).to.equal(true);
    expect(run.trades.reduce((sum, t) => sum + t.energyWh, 0n)).to.equal(13_000n);
    expect(new Set(run.trades.map((t) => t.sellerId))).to.deep.equal(new Set(["H", "E"]));
  });

  it("prints the round trace in the SPEC's notation", () => {
    const trace = formatRoundTrace(runScenarioDetailed(scenario)).split("\n");
    expect(trace.slice(0, 3)).to.deep.equal([
      "round 1: E 0.50  F 0.64  G 0.74  H 0.40   price 0.50   E 10, H 3",
      "round 2: E 0.64  F 0.64  G 0.74  H 0.50   price 0.64   E 10, H 3",
      "round 3: no quote changes -> equilibrium",
    ]);
  });
});

describe("auction: hour 23 scenario (seller's market, four buyers)", () => {
  const run = runScenarioDetailed(parseScenario(loadScenarioJson("hour23-sellers-market.json")));

  it("converges to a Nash equilibrium where the buyers compete", () => {
    expect(run.report.market).to.equal("seller");
    expect(run.report.converged).to.equal(true);
    expect(run.report.nash).to.equal(true);
    expect(run.report.participants.filter((p) => p.side === "buyer")).to.have.length(4);
  });

  it("sellers sell everything; unmet demand comes from batteries first, then the grid", () => {
    for (const p of run.report.participants) {
      if (p.side === "seller") expect(p.batteryKwh + p.gridKwh, p.id).to.equal(0);
    }
    const y = run.report.participants.find((p) => p.id === "Y");
    const z = run.report.participants.find((p) => p.id === "Z");
    expect(y).to.deep.include({ tradedKwh: 1, batteryKwh: 3, gridKwh: 0 });
    expect(z).to.deep.include({ tradedKwh: 0, batteryKwh: 0, gridKwh: 2 });
    expect(run.report.price).to.equal(0.72);
  });
});
