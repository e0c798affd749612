import { task } from "hardhat/config";
import { deployGreenGrid } from "../deploy/deployGreenGrid";
import { ensureCompiled } from "../src/cli/task";
import { UserError } from "../src/cli/errors";

/**
 * The end-to-end walkthrough on the embedded network. For now it covers the registry: deployment
 * through Ignition, registrations, the regulator's review and a meter rotation, all through the
 * same tasks a user types.
 */
const PROSUMERS = [
  {
    name: "Prosumer E (PV + battery)",
    meterId: "MTR-E-0001",
    region: "1",
    voltage: "low",
    source: "solar",
    capacityW: "12000",
    batteryWh: "50000",
  },
  {
    name: "Prosumer F (wind)",
    meterId: "MTR-F-0002",
    region: "1",
    voltage: "low",
    source: "wind",
    capacityW: "13000",
    batteryWh: "50000",
  },
  {
    name: "Household X",
    meterId: "MTR-X-0003",
    region: "2",
    voltage: "low",
    source: "none",
    capacityW: "9000",
    batteryWh: "0",
  },
  {
    name: "Diesel backup Y",
    meterId: "MTR-Y-0004",
    region: "3",
    voltage: "medium",
    source: "fossil",
    capacityW: "40000",
    batteryWh: "0",
  },
];

task("demo", "Run the end-to-end walkthrough on the embedded Hardhat network").setAction(async (_args, hre) => {
  await ensureCompiled(hre);
  const signers = await hre.ethers.getSigners();
  // account 0 operates the market and reviews; prosumers and their meters follow
  const needed = 1 + PROSUMERS.length * 2 + 1;
  if (signers.length < needed)
    throw new UserError(`demo needs ${needed} accounts on network "${hre.network.name}", it has ${signers.length}`);

  console.log(`== Deploying GreenGrid through Ignition on "${hre.network.name}"`);
  const { registry } = await deployGreenGrid(hre);
  console.log(`ParticipantRegistry at ${await registry.getAddress()}\n`);
  await hre.run("registry:regions");

  console.log("\n== Registration (each prosumer signs its own transaction)");
  for (const [i, p] of PROSUMERS.entries()) {
    const from = String(1 + i);
    const device = String(1 + PROSUMERS.length + i);
    await hre.run("registry:register", {
      from,
      name: p.name,
      meterId: p.meterId,
      device,
      region: p.region,
      voltage: p.voltage,
      source: p.source,
      capacityW: p.capacityW,
      batteryWh: p.batteryWh,
    });
  }

  console.log("\n== Qualification review by the regulator (account 0)");
  await hre.run("registry:approve", { account: "1" });
  await hre.run("registry:approve", { account: "2" });
  await hre.run("registry:approve", { account: "3" });
  await hre.run("registry:reject", { account: "4", reason: "17" });

  console.log("\n== A refused transition is explained, and nothing is sent");
  try {
    await hre.run("registry:reinstate", { account: "1" });
  } catch (error) {
    console.log(`(expected) ${(error as Error).message}`);
  }

  console.log("\n== Suspension and reinstatement");
  await hre.run("registry:suspend", { account: "2", reason: "3" });
  await hre.run("registry:reinstate", { account: "2" });

  console.log("\n== Meter rotation: the prosumer asks, the regulator approves");
  const newDevice = String(1 + PROSUMERS.length * 2);
  await hre.run("registry:rotate-meter", { from: "3", device: newDevice });
  await hre.run("registry:rotate-meter", { approve: true, account: "3", device: newDevice });

  console.log("\n== The rejected applicant leaves the market");
  await hre.run("registry:delist", { from: "4", account: "4", reason: "0" });

  console.log("\n== Participants");
  await hre.run("registry:list");
  console.log();
  await hre.run("registry:show", { account: "3" });
});
