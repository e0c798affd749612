import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ScenarioError, parseScenario } from "../../src/core/auction";
import {
  accountsNeeded,
  buildDemoReport,
  buildRoster,
  deliveryDraws,
  formatAuctionHour,
  parseDemoScenario,
  requestPlan,
  type AuctionPeriodFacts,
  type LedgerFacts,
} from "../../src/core/demo";
import type { TradeRecord } from "../../src/core/settlement";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(SCENARIOS, file), "utf8"));
const demoJson = () => readJson("demo.json") as Record<string, Record<string, unknown>>;

describe("demo: scenario, roster, seeded plan and report (pure)", () => {
  const demo = parseDemoScenario(readJson("demo.json"));
  const hours = demo.auction.map((h) => ({ hour: h.hour, scenario: parseScenario(readJson(h.scenario)) }));

  it("reads the shipped demo: hours 24 and 23, paper B's four providers, alpha 0.4, 10 cycles of 10 trades", () => {
    expect(demo.auction.map((h) => h.hour)).to.deep.equal([24, 23]);
    const r = demo.reputation;
    expect(r.providers.map((p) => [p.id, p.behaviour])).to.deep.equal([
      ["P1", "honest"],
      ["P2", "underDelivers"],
      ["P3", "unstable"],
      ["P4", "unstable"],
    ]);
    expect([r.alpha, r.alphaWad, r.cycles, r.tradesPerCycle, r.users.length]).to.deep.equal([
      0.4,
      4n * 10n ** 17n,
      10,
      10,
      10,
    ]);
  });

  it("names every bad field by its path", () => {
    const cases: [(j: ReturnType<typeof demoJson>) => void, RegExp][] = [
      [(j) => (j.reputation.users = ["A"]), /reputation.users: names 1 users for 10 trades per cycle/],
      [(j) => (j.reputation.alpha = 1.5), /reputation.alpha: must lie in \[0, 1\]/],
      [
        (j) => (j.reputation.providers = [{ id: "P1", behaviour: "lazy", price: 1, capacityKwh: 1 }]),
        /behaviour: must be one of/,
      ],
      [
        (j) => (j.reputation.users = ["P1", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]),
        /"P1" is used twice/,
      ],
      [(j) => (j.sources = { E: "coal" }), /sources.E: "coal" is not a known source/],
      [(j) => ((j as Record<string, unknown>).extra = 1), /demo.extra: is not a known field/],
      [
        (j) => ((j as Record<string, unknown>).auction = [{ hour: 25, scenario: "x.json" }]),
        /auction\[0\].hour: must be a whole number from 1 to 24/,
      ],
    ];
    for (const [change, message] of cases) {
      const json = demoJson();
      change(json);
      expect(() => parseDemoScenario(json)).to.throw(ScenarioError, message);
    }
  });

  it("gives each participant one account from 1 in order of appearance; households keep theirs in the cycles", () => {
    const roster = buildRoster(demo, hours);
    expect(roster.map((m) => `${m.account}:${m.id}`).slice(0, 9)).to.deep.equal([
      "1:E",
      "2:F",
      "3:G",
      "4:H",
      "5:X",
      "6:Y",
      "7:Z",
      "8:W",
      "9:P1",
    ]);
    expect(roster.find((m) => m.id === "X")!.roles).to.deep.equal(["buyer", "user"]);
    expect(roster.find((m) => m.id === "F")!.source).to.equal("wind");
    expect(roster.find((m) => m.id === "P2")!.source).to.equal("solar");
    expect(roster.find((m) => m.id === "U1")!.source).to.equal("none");
    // Z has no battery in hour 23 and 50 kWh in hour 24: the registry gets the larger
    expect(roster.find((m) => m.id === "Z")!.batteryWh).to.equal(50_000n);
    expect(accountsNeeded(roster)).to.equal(19);
  });

  it("draws the same requests and deliveries from the same seed, within their ranges", () => {
    const r = demo.reputation;
    const plan = requestPlan(r);
    expect(plan).to.deep.equal(requestPlan(r));
    expect(plan).to.have.length(10);
    for (const cycle of plan) for (const wh of cycle) expect(wh >= 800n && wh <= 1600n).to.equal(true);
    const draws = deliveryDraws(r);
    for (let k = 0; k < 20; k++) {
      expect(draws.deliveredWh("P1", 1000n)).to.equal(1000n);
      const short = draws.deliveredWh("P2", 1000n);
      expect(short >= 300n && short <= 500n, `P2 delivered ${short}`).to.equal(true);
    }
    expect(() => draws.deliveredWh("P9", 1n)).to.throw(/P9 is not a provider/);
  });

  it("builds an hour from chain facts: rounds with quote changes, traded energy from the trades, storage from the registry", () => {
    const E = "0x00000000000000000000000000000000000000e1";
    const X = "0x00000000000000000000000000000000000000a1";
    const AUCTION = "0x00000000000000000000000000000000000000a0";
    const facts: AuctionPeriodFacts = {
      periodId: 1n,
      tick: 10_000n,
      feedInTariff: 300_000n,
      retailTariff: 1_000_000n,
      deliveryStart: 0n,
      deliveryEnd: 3600n,
      orders: [
        {
          index: 0,
          participant: E,
          side: "seller",
          energyWh: 12_000n,
          firstQuote: 500_000n,
          quote: 640_000n,
          cancelled: false,
        },
        {
          index: 1,
          participant: X,
          side: "buyer",
          energyWh: 10_000n,
          firstQuote: 1_000_000n,
          quote: 1_000_000n,
          cancelled: false,
        },
      ],
      rounds: [
        { round: 1, market: "buyer", price: 500_000n, revisions: 0 },
        { round: 2, market: "buyer", price: 1_000_000n, revisions: 1 },
        { round: 3, market: "buyer", price: 1_000_000n, revisions: 0 },
      ],
      revisions: [{ round: 2, order: 0, newQuote: 1_000_000n }],
    };
    const trade = {
      id: 1n,
      status: "Settled",
      market: AUCTION,
      seller: E,
      buyer: X,
      period: 1n,
      energyWh: 10_000n,
      pricePerKwh: 1_000_000n,
    } as TradeRecord;
    const ledger: LedgerFacts = {
      auctionAddress: AUCTION,
      matchingAddress: "0x00000000000000000000000000000000000000b0",
      trades: [trade],
      settlements: new Map(),
      certificatesWh: new Map(),
      tokenBalance: 5n,
      totalFree: 2n,
      totalLocked: 1n,
      rewardPool: 2n,
      batteryWh: new Map([[E, 50_000n]]),
    };
    const report = buildDemoReport({
      names: new Map([
        [E, "E"],
        [X, "X"],
      ]),
      hours: [{ hour: 24, facts, socBefore: new Map([["E", 0.86]]) }],
      reputation: {
        seed: 1,
        cycleIds: [],
        providers: [],
        facts: { alphaWad: new Map(), updates: [], finalWad: new Map() },
      },
      ledger,
    });
    const hour = report.auction[0];
    expect([hour.market, hour.price, hour.rounds, hour.roundsClosed]).to.deep.equal(["buyer", 1, 2, 3]);
    expect(hour.trace.map((r) => r.quotes.E)).to.deep.equal([0.5, 1, 1]);
    expect(hour.participants[0]).to.deep.include({
      id: "E",
      quote: 0.64,
      tradedKwh: 10,
      batteryKwh: 2,
      gridKwh: 0,
      socAfter: 0.9,
    });
    expect(report.settlement).to.deep.include({ trades: 1, settled: 1, escrowConserved: true });
    expect(formatAuctionHour(hour)).to.match(/round 3: no quote changes -> equilibrium/);
  });
});
