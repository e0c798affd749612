import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { onboard, runTask, runTaskJson, type Member } from "../helpers/world";

const PROVIDERS: Member[] = [
  { name: "P1", account: 1, meter: 10 },
  { name: "P2", account: 2, meter: 11 },
];
const USERS: Member[] = [
  { name: "U1", account: 3, meter: 12, source: "none" },
  { name: "U2", account: 4, meter: 13, source: "none" },
  { name: "U3", account: 5, meter: 14, source: "none" },
];

interface ShownCycle {
  phase: string;
  best: { exists: boolean; objective: string };
  trades: number;
  settled: number;
}

describe("reputation matching through the tasks (a full cycle, as users run it)", function () {
  let snapshot: string;
  let dir: string;

  before(async () => {
    await deployGreenGrid(hre);
    await onboard(hre, [...PROVIDERS, ...USERS]);
    snapshot = await hre.network.provider.send("evm_snapshot");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "greengrid-matching-"));
  });

  after(async () => {
    await hre.network.provider.send("evm_revert", [snapshot]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("posts, solves with branch-and-bound, verifies, finalizes, settles and updates reputation", async () => {
    await runTask(hre, "match:open", { postingMinutes: "10", submissionMinutes: "10" });
    await runTask(hre, "match:offer", { from: "1", cycle: "1", price: "0.60", capacityWh: "5000" });
    await runTask(hre, "match:offer", { from: "2", cycle: "1", price: "0.55", capacityWh: "3000" });
    await runTask(hre, "match:request", { from: "3", cycle: "1", energyWh: "2000", maxPrice: "0.80" });
    await runTask(hre, "match:request", { from: "4", cycle: "1", energyWh: "3000", maxPrice: "0.70" });
    await runTask(hre, "match:request", { from: "5", cycle: "1", energyWh: "2500", maxPrice: "0.58" });

    // solving is free in any phase; posting waits for the submission window
    const solved = await runTaskJson<{ status: string; assignment: (number | string)[] }>(hre, "match:solve", {
      cycle: "1",
    });
    expect(solved.status).to.equal("optimal");
    await expect(runTask(hre, "match:solve", { cycle: "1", post: true })).to.be.rejectedWith(/in its Posting phase/);

    await time.increase(10 * 60);
    const posted = await runTaskJson<{ outcome: { events: { name: string }[] } }>(hre, "match:solve", {
      cycle: "1",
      post: true,
    });
    expect(posted.outcome.events.map((e) => e.name)).to.include("AssignmentAccepted");
    // the same assignment again is not better: recorded as an attempt, nothing replaced
    const again = await runTaskJson<{ outcome: { events: { name: string }[] } }>(hre, "match:solve", {
      cycle: "1",
      post: true,
    });
    expect(again.outcome.events.map((e) => e.name)).to.include("AssignmentNotBetter");

    await time.increase(10 * 60);
    expect(await runTask(hre, "match:finalize", { cycle: "1" })).to.match(
      /finalized in 1 transaction\(s\): \d+ trades/,
    );
    const shown = await runTaskJson<ShownCycle>(hre, "match:show", { cycle: "1" });
    expect(shown.phase).to.equal("Finalized");
    expect(shown.trades).to.be.greaterThan(0);

    // every trade delivered in full: both meters sign, a relay submits, anyone settles
    const trades = await runTaskJson<{
      trades: { id: string; energyWh: string; deliveryEnd: string; seller: string; buyer: string }[];
    }>(hre, "trade:list", {});
    const signers = await hre.ethers.getSigners();
    const meterOf = (address: string) =>
      [...PROVIDERS, ...USERS].find((m) => signers[m.account].address === address)!.meter;
    await time.increaseTo(Number(trades.trades[0].deliveryEnd));
    const readings: unknown[] = [];
    const sequence = new Map<number, number>(); // a meter signs readings for several trades before any is relayed
    for (const t of trades.trades) {
      for (const [side, party] of [
        ["provider", t.seller],
        ["user", t.buyer],
      ] as const) {
        const file = path.join(dir, `reading-${t.id}-${side}.json`);
        const meter = meterOf(party);
        sequence.set(meter, (sequence.get(meter) ?? 0) + 1);
        await runTask(hre, "meter:sign", {
          from: String(meter),
          trade: t.id,
          side,
          energyWh: t.energyWh,
          sequence: String(sequence.get(meter)),
          out: file,
        });
        readings.push(JSON.parse(fs.readFileSync(file, "utf8")));
      }
    }
    const batch = path.join(dir, "readings.json");
    fs.writeFileSync(batch, JSON.stringify(readings));
    await runTask(hre, "meter:submit", { file: batch });
    for (const t of trades.trades) await runTask(hre, "settle", { id: t.id });

    expect(await runTask(hre, "reputation:update", { cycle: "1" })).to.match(/reputation applied to \d provider/);
    for (const p of PROVIDERS) {
      const rep = await runTaskJson<{ reputation: number }>(hre, "reputation:show", { account: String(p.account) });
      const traded = trades.trades.some((t) => t.seller === signers[p.account].address);
      // honest delivery: C = 1, RC = alpha x 1 + (1 - alpha) x 0 = 0.4
      expect(rep.reputation).to.equal(traded ? 0.4 : 0);
    }
  });

  it("solves a benchmark instance offline and prints the published optimum", async function () {
    const file = path.join("..", "shared", "benchmarks", "gap", "cattrysse1994", "gap1-0");
    if (!fs.existsSync(file)) this.skip();
    const out = await runTaskJson<{ status: string; objective: number; bound: number; assignment: number[] }>(
      hre,
      "match:solve",
      {
        gapFile: file,
        objective: "max",
        timeLimit: "10",
      },
    );
    expect(out).to.include({ status: "optimal", objective: 336, bound: 336 });
    expect(out.assignment).to.have.length(15);
  });

  it("simulates paper B's reputation curves and draws them", async () => {
    const sim = await runTaskJson<{
      alpha: number;
      cycles: number;
      providers: { id: string; behaviour: string; reputation: number[] }[];
    }>(hre, "reputation:simulate", { seed: "7", out: dir });
    expect(sim.alpha).to.equal(0.4);
    const last = (id: string) => sim.providers.find((p) => p.id === id)!.reputation[sim.cycles - 1];
    expect(last("P1")).to.be.greaterThan(last("P3"));
    expect(last("P1")).to.be.greaterThan(last("P4"));
    expect(last("P2")).to.be.lessThan(Math.min(last("P3"), last("P4")));
    expect(fs.readFileSync(path.join(dir, "reputation.svg"), "utf8")).to.match(
      /^<svg[^>]+>[\s\S]*P1 \(honest\)[\s\S]*<\/svg>$/,
    );
  });

  describe("bad input gets a clear message and sends nothing", () => {
    before(async () => {
      await hre.network.provider.send("evm_revert", [snapshot]);
      snapshot = await hre.network.provider.send("evm_snapshot");
      await runTask(hre, "match:open", {});
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["match:offer", { from: "1", cycle: "1", price: "-1", capacityWh: "100" }, /--price must be a decimal amount/],
      ["match:offer", { from: "1", cycle: "99", price: "0.5", capacityWh: "100" }, /Cycle 99 does not exist/],
      ["match:offer", { from: "1", cycle: "1", price: "0.5", capacityWh: "0" }, /--capacity-wh must be between 1/],
      [
        "match:request",
        { from: "3", cycle: "1", energyWh: "abc", maxPrice: "0.5" },
        /--energy-wh must be a whole number/,
      ],
      ["match:solve", {}, /give exactly one of --gap-file <file> or --cycle <id>/],
      ["match:solve", { gapFile: "nope.txt" }, /--gap-file nope.txt does not exist/],
      ["match:solve", { gapFile: "package.json", objective: "best" }, /--objective must be max or min/],
      ["match:solve", { gapFile: "package.json" }, /is not a GAP instance/],
      ["match:finalize", { cycle: "1" }, /cycle 1 is in its Posting phase; finalize after the submission window/],
      ["match:open", { offerCap: "65" }, /--offer-cap must be between 1 and 64/],
      ["reputation:simulate", { seed: "-3" }, /--seed must be between 0/],
      ["reputation:show", { account: "nobody" }, /--account "nobody" is neither an address nor an account index/],
    ];
    for (const [task, args, message] of cases) {
      it(`${task} ${Object.entries(args)
        .map(([k, v]) => `--${k} ${v}`)
        .join(" ")}`, async () => {
        const before = await hre.ethers.provider.getBlockNumber();
        await expect(runTask(hre, task, args)).to.be.rejectedWith(message);
        expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
      });
    }
  });
});
