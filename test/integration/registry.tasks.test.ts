import { expect } from "chai";
import hre from "hardhat";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { forgetDeployment } from "../../src/chain/deployments";
import { captureStdout } from "../helpers/capture";

/** Runs a task the way the command line would and returns what it printed. */
async function run(task: string, args: Record<string, unknown> = {}): Promise<string> {
  return captureStdout(() => hre.run(task, args));
}

async function runJson<T>(task: string, args: Record<string, unknown> = {}): Promise<T> {
  return JSON.parse(await run(task, { ...args, json: true })) as T;
}

const ALICE = {
  from: "1",
  name: "Alice PV",
  meterId: "MTR-A-1",
  device: "5",
  region: "1",
  voltage: "low",
  source: "solar",
  capacityW: "8000",
  batteryWh: "10000",
};

describe("registry tasks (as a user runs them)", function () {
  let snapshot: string;

  before(async () => {
    await deployGreenGrid(hre);
    snapshot = await hre.network.provider.send("evm_snapshot");
  });

  afterEach(async () => {
    await hre.network.provider.send("evm_revert", [snapshot]);
    snapshot = await hre.network.provider.send("evm_snapshot");
  });

  it("registers, reviews, suspends, reinstates, rotates a meter and lists", async () => {
    const [, alice, , , , , newDevice] = await hre.ethers.getSigners();
    const registered = await runJson<{ outcome: { events: { name: string }[] } }>("registry:register", ALICE);
    expect(registered.outcome.events.map((e) => e.name)).to.include("ParticipantRegistered");

    await run("registry:approve", { account: alice.address });
    expect(await run("registry:suspend", { account: "1", reason: "4" })).to.match(/Approved -> Suspended/);
    await run("registry:reinstate", { account: "1" });
    await run("registry:rotate-meter", { from: "1", device: newDevice.address });
    await run("registry:rotate-meter", { approve: true, account: "1", device: "6" });

    const shown = await runJson<{ status: string; eligibility: string; registration: { meterDevice: string; capacityW: string } }>(
      "registry:show",
      { account: "1" },
    );
    expect(shown.status).to.equal("Approved");
    expect(shown.eligibility).to.equal("Eligible");
    expect(shown.registration.meterDevice).to.equal(newDevice.address);
    expect(shown.registration.capacityW).to.equal("8000");

    const list = await runJson<{ total: number; participants: { account: string }[] }>("registry:list");
    expect(list.total).to.equal(1);
    expect(list.participants[0].account).to.equal(alice.address);
    expect(await run("registry:list")).to.match(/Alice PV\s+Approved/);
    expect(await run("registry:regions")).to.match(/North/);
  });

  it("a dry run validates and simulates but sends nothing", async () => {
    const before = await hre.ethers.provider.getBlockNumber();
    const out = await runJson<{ dryRun: boolean; plan: { method: string } }>("registry:register", { ...ALICE, dryRun: true });
    expect(out.dryRun).to.equal(true);
    expect(out.plan.method).to.equal("register");
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("rejects and delists through the tasks", async () => {
    await run("registry:register", ALICE);
    expect(await run("registry:reject", { account: "1", reason: "12" })).to.match(/Pending -> Rejected/);
    expect(await run("registry:delist", { from: "1", account: "1" })).to.match(/Rejected -> Delisted/);
    const shown = await runJson<{ status: string; reasonCode: number }>("registry:show", { account: "1" });
    expect(shown).to.include({ status: "Delisted", reasonCode: 0 });
  });

  describe("bad input gets a clear message and sends nothing", () => {
    const cases: [string, string, Record<string, unknown>, RegExp][] = [
      ["register", "registry:register", { ...ALICE, capacityW: "-5" }, /--capacity-w must be between 1/],
      ["register", "registry:register", { ...ALICE, capacityW: "lots" }, /--capacity-w must be a whole number/],
      ["register", "registry:register", { ...ALICE, voltage: "ultra" }, /--voltage must be low, medium or high/],
      ["register", "registry:register", { ...ALICE, source: "coal" }, /--source "coal" is not a known source/],
      ["register", "registry:register", { ...ALICE, region: "9" }, /--region 9 is not a known region \(known: 1, 2, 3\)/],
      ["register", "registry:register", { ...ALICE, region: "x" }, /--region must be a whole number/],
      ["register", "registry:register", { ...ALICE, name: "" }, /--name is required/],
      ["register", "registry:register", { ...ALICE, name: "n".repeat(65) }, /--name must be 1 to 64 bytes/],
      ["register", "registry:register", { ...ALICE, meterId: "m".repeat(32) }, /--meter-id must be 1 to 31 bytes/],
      ["register", "registry:register", { ...ALICE, device: "0x1234" }, /--device "0x1234" is neither an address nor an account index/],
      ["register", "registry:register", { ...ALICE, from: "999" }, /--from 999: network "hardhat" has 20 accounts/],
      ["register", "registry:register", { ...ALICE, from: "0x000000000000000000000000000000000000dEaD" }, /is not among the accounts/],
      ["approve", "registry:approve", { account: "nobody" }, /--account "nobody" is neither an address nor an account index/],
      ["approve", "registry:approve", { account: "3" }, /the account is not registered/],
      ["suspend", "registry:suspend", { account: "1", reason: "70000" }, /--reason must be between 0 and 65535/],
      ["reinstate", "registry:reinstate", { account: "1" }, /cannot be moved to Approved \(reinstate applies to Suspended\)/],
      ["rotate", "registry:rotate-meter", { from: "1" }, /--device is required/],
      ["rotate", "registry:rotate-meter", { approve: true, device: "7" }, /--approve needs --account/],
      ["rotate", "registry:rotate-meter", { approve: true, cancel: true, account: "1" }, /--approve and --cancel exclude each other/],
      ["rotate", "registry:rotate-meter", { approve: true, account: "1", device: "7" }, /RegistryNoPendingRotation\(account=0x/],
      ["rotate", "registry:rotate-meter", { from: "1", cancel: true }, /RegistryNoPendingRotation/],
      ["list", "registry:list", { limit: "0" }, /--limit must be between 1 and 10000/],
      ["list", "registry:list", { status: "Sleeping" }, /--status must be one of Pending, Approved/],
      ["show", "registry:show", { account: "2" }, /is not registered/],
    ];
    for (const [, task, args, message] of cases) {
      const changed = Object.entries(args).filter(([k, v]) => task !== "registry:register" || ALICE[k as keyof typeof ALICE] !== v);
      it(`${task} ${changed.map(([k, v]) => `--${k} ${String(v).slice(0, 12)}`).join(" ")}`, async () => {
        await run("registry:register", ALICE);
        const before = await hre.ethers.provider.getBlockNumber();
        let error: Error | undefined;
        try {
          await run(task, args);
        } catch (e) {
          error = e as Error;
        }
        expect(error, "the task should fail").to.be.instanceOf(Error);
        expect(error!.message).to.match(message);
        expect(error!.message).to.not.match(/0x[0-9a-f]{8}[0-9a-f]{56,}/i, "no raw revert data");
        expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
      });
    }

    it("a refused role is decoded with the role's name", async () => {
      await run("registry:register", ALICE);
      await expect(run("registry:approve", { from: "2", account: "1" })).to.be.rejectedWith(
        /AccessControlUnauthorizedAccount\(account=0x[0-9a-fA-F]{40}, neededRole=REGULATOR_ROLE\)/,
      );
    });

    it("a duplicate meter id is decoded by the contract error's name and arguments", async () => {
      await run("registry:register", ALICE);
      await expect(run("registry:register", { ...ALICE, from: "2", device: "6" })).to.be.rejectedWith(
        /would fail: reverted with RegistryMeterIdTaken\(meterId="MTR-A-1", owner=0x[0-9a-fA-F]{40}\)\. Nothing was sent\./,
      );
    });
  });

  it("says how to deploy when nothing is deployed", async () => {
    const chainId = (await hre.ethers.provider.getNetwork()).chainId;
    forgetDeployment(chainId);
    try {
      await expect(run("registry:list")).to.be.rejectedWith(/Nothing is deployed on network "hardhat"/);
    } finally {
      await deployGreenGrid(hre);
      snapshot = await hre.network.provider.send("evm_snapshot");
    }
  });
});
