import { formatUnits } from "../../src/cli/args";
import type { DemoFunding, RosterMember } from "../../src/core/demo";
import type { DemoRunner } from "./runner";

/**
 * Registration, review and funding through the tasks: each prosumer registers itself (signing with its own
 * account, naming its meter device), the regulator (account 0) approves it, mints it test tokens, and the
 * prosumer deposits them into the escrow. The operator then funds the honesty-reward pool.
 */
export async function onboard(
  runner: DemoRunner,
  roster: readonly RosterMember[],
  funding: DemoFunding,
): Promise<void> {
  const deposit = formatUnits(funding.depositEach);
  for (const [i, m] of roster.entries()) {
    runner.progress.update(`onboarding ${m.id}`, i + 1, roster.length);
    const { account, meter } = runner.member(m.id);
    await runner.run("registry:register", {
      from: String(account),
      name: `${m.id} (${m.roles.join(", ")})`,
      meterId: `MTR-DEMO-${m.id}`,
      device: meter.address,
      region: "1",
      voltage: "low",
      source: m.source,
      capacityW: String(m.capacityW),
      batteryWh: String(m.batteryWh),
    });
    await runner.run("registry:approve", { account: String(account) });
    await runner.run("token:mint", { to: String(account), amount: deposit });
    await runner.run("escrow:deposit", { from: String(account), amount: deposit });
  }
  const pool = formatUnits(funding.rewardPool);
  await runner.run("token:mint", { to: "0", amount: pool });
  await runner.run("reward:fund", { from: "0", amount: pool });
}
