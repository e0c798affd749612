import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import type { DemoReport } from "../../src/core/demo";
import { captureStdout } from "../helpers/capture";

/** The figures of the SPEC's worked example (section 3, hour 24): quote, traded, battery, grid, SoC after. */
const HOUR_24 = {
  E: [0.64, 10, 2, 0, 0.9],
  F: [0.64, 0, 13, 0, 0.92],
  G: [0.74, 0, 1, 0, 0.54],
  H: [0.5, 3, 0, 0, 1],
};

describe("demo: the end-to-end trading day, in process", function () {
  let snapshot: string;
  let dir: string;
  let printed: string;
  let report: DemoReport;

  before(async function () {
    this.timeout(300_000);
    snapshot = await hre.network.provider.send("evm_snapshot");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "greengrid-demo-"));
    printed = await captureStdout(() => hre.run("demo", { json: true, out: dir }));
    report = JSON.parse(printed) as DemoReport;
  });

  after(async () => {
    await hre.network.provider.send("evm_revert", [snapshot]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("prints report.json and nothing else with --json, and writes the same report to --out", () => {
    expect(JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"))).to.deep.equal(report);
    expect(Object.keys(report)).to.deep.equal(["auction", "reputation", "settlement"]);
  });

  it("hour 24 is the SPEC's worked example, read back from the chain", () => {
    const hour = report.auction.find((h) => h.hour === 24)!;
    expect([hour.market, hour.price, hour.rounds, hour.nash]).to.deep.equal(["buyer", 0.64, 2, true]);
    for (const [id, figures] of Object.entries(HOUR_24)) {
      const p = hour.participants.find((q) => q.id === id)!;
      expect([p.quote, p.tradedKwh, p.batteryKwh, p.gridKwh, p.socAfter], id).to.deep.equal(figures);
      expect(p.side).to.equal("seller");
    }
    expect(hour.trace.map((r) => r.price)).to.deep.equal([0.5, 0.64, 0.64]);
    expect(hour.trades.reduce((sum, t) => sum + t.kwh, 0)).to.equal(13);
  });

  it("hour 23 is a seller's market: sellers sell everything, buyers compete", () => {
    const hour = report.auction.find((h) => h.hour === 23)!;
    expect(hour.market).to.equal("seller");
    expect(hour.participants.filter((p) => p.side === "buyer")).to.have.length(4);
    for (const s of hour.participants.filter((p) => p.side === "seller")) expect(s.tradedKwh).to.equal(s.kwh);
    expect(hour.participants.find((p) => p.id === "Z")).to.deep.include({ tradedKwh: 0, gridKwh: 2 });
  });

  it("reputation: P1 highest and steady, P2 far lowest, P3 and P4 in between", () => {
    const { alpha, providers } = report.reputation;
    expect(alpha).to.equal(0.4);
    const rc = Object.fromEntries(providers.map((p) => [p.id, p.reputation]));
    expect(Object.keys(rc)).to.deep.equal(["P1", "P2", "P3", "P4"]);
    for (const curve of Object.values(rc)) expect(curve).to.have.length(10);
    for (let c = 0; c < 10; c++) {
      expect(rc.P1[c], `P1 highest in cycle ${c + 1}`).to.be.at.least(Math.max(rc.P2[c], rc.P3[c], rc.P4[c]));
      if (c === 0) continue; // after one cycle an unlucky unstable provider may sit as low as P2
      expect(rc.P2[c], `P2 lowest in cycle ${c + 1}`).to.be.at.most(Math.min(rc.P3[c], rc.P4[c]));
      expect(rc.P1[c], `P1 steady in cycle ${c + 1}`).to.be.at.least(rc.P1[c - 1]);
    }
    expect(rc.P1[9]).to.be.above(0.99);
    expect(rc.P2[9]).to.be.below(Math.min(rc.P3[9], rc.P4[9]) - 0.2);
    for (const p of providers) expect(p.final).to.equal(p.reputation[9]);
    // every cycle has its ten trades, and P2 delivers each of its trades short
    for (let c = 0; c < 10; c++) expect(providers.reduce((sum, p) => sum + p.trades[c], 0)).to.equal(10);
    const p2 = providers.find((p) => p.id === "P2")!;
    expect(p2.shortTrades).to.deep.equal(p2.trades);
  });

  it("settles every trade, keeps the escrow's books exact and issues certificates", () => {
    const s = report.settlement;
    expect(s.trades).to.be.greaterThan(100);
    expect(s.settled).to.equal(s.trades);
    expect(s.escrowConserved).to.equal(true);
    expect(s.certificatesWh).to.be.greaterThan(0);
    expect(s.list.filter((t) => t.market === "auction")).to.have.length(
      report.auction.reduce((sum, h) => sum + h.trades.length, 0),
    );
    expect(s.totals.defaults).to.equal(0);
    expect(s.totals.penalties).to.be.greaterThan(0);
  });

  it("writes well-formed SVG charts", () => {
    const svgs = ["auction-hour24", "auction-hour23", "battery-hour24", "battery-hour23", "reputation"];
    for (const name of svgs) {
      const svg = fs.readFileSync(path.join(dir, `${name}.svg`), "utf8").trim();
      expect(svg.startsWith("<svg"), name).to.equal(true);
      expect(svg.endsWith("</svg>"), name).to.equal(true);
    }
    expect(fs.readFileSync(path.join(dir, "transcript.txt"), "utf8")).to.match(
      /\$ npx hardhat auction:nash --period 1 --post/,
    );
  });
});
