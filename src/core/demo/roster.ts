/**
 * Who takes part in the demo, and with which account: the auction hours' sellers and buyers, then the
 * reputation cycles' providers and users, each id once (a household may buy in the auction and request
 * energy in the cycles). Account 0 is the operator and regulator; participants follow from account 1 in
 * order of first appearance. Meter devices are not accounts (see src/chain/demo/meters.ts).
 */
import type { Scenario } from "../auction/scenario";
import type { ProviderBehaviour } from "../matching/behaviour";
import type { DemoScenario } from "./scenario";

export type DemoRole = "seller" | "buyer" | "provider" | "user";

export interface RosterMember {
  readonly id: string;
  /** Index among the network's accounts. */
  readonly account: number;
  readonly roles: readonly DemoRole[];
  /** As registry:register takes it: solar, wind, ..., none. Sellers and providers default to solar. */
  readonly source: string;
  /** The largest energy it offers or needs in one hour, as a power; at least 1 kW. */
  readonly capacityW: bigint;
  /** The largest battery capacity the auction scenarios give it (0 without a battery). */
  readonly batteryWh: bigint;
  readonly behaviour: ProviderBehaviour | null;
}

export interface HourScenario {
  readonly hour: number;
  readonly scenario: Scenario;
}

export const OPERATOR_ACCOUNT = 0;
const MIN_CAPACITY_W = 1000n;

export function buildRoster(demo: DemoScenario, hours: readonly HourScenario[]): RosterMember[] {
  interface Draft {
    id: string;
    roles: DemoRole[];
    energyWh: bigint;
    batteryWh: bigint;
    behaviour: ProviderBehaviour | null;
  }
  const drafts = new Map<string, Draft>();
  const add = (
    id: string,
    role: DemoRole,
    energyWh: bigint,
    batteryWh = 0n,
    behaviour: ProviderBehaviour | null = null,
  ) => {
    const draft = drafts.get(id) ?? { id, roles: [], energyWh: 0n, batteryWh: 0n, behaviour: null };
    if (!draft.roles.includes(role)) draft.roles.push(role);
    if (energyWh > draft.energyWh) draft.energyWh = energyWh;
    if (batteryWh > draft.batteryWh) draft.batteryWh = batteryWh;
    draft.behaviour = behaviour ?? draft.behaviour;
    drafts.set(id, draft);
  };
  for (const { scenario } of hours) {
    for (const p of scenario.participants) add(p.id, p.side, p.energyWh, p.capacityWh);
  }
  const r = demo.reputation;
  for (const p of r.providers) add(p.id, "provider", p.capacityWh, 0n, p.behaviour);
  for (const u of r.users) add(u, "user", r.requestWh[1]);

  return [...drafts.values()].map((d, i) => {
    const producer = d.roles.includes("seller") || d.roles.includes("provider");
    return {
      id: d.id,
      account: OPERATOR_ACCOUNT + 1 + i,
      roles: d.roles,
      source: demo.sources[d.id] ?? (producer ? "solar" : "none"),
      capacityW: d.energyWh > MIN_CAPACITY_W ? d.energyWh : MIN_CAPACITY_W,
      batteryWh: d.batteryWh,
      behaviour: d.behaviour,
    };
  });
}

/** The operator plus one account per participant. */
export function accountsNeeded(roster: readonly RosterMember[]): number {
  return OPERATOR_ACCOUNT + 1 + roster.length;
}

/** "E: seller", "W: buyer, user", "P2: provider (underDelivers)". */
export function describeMember(member: RosterMember): string {
  const roles = member.roles.join(", ");
  return member.behaviour ? `${member.id}: ${roles} (${member.behaviour})` : `${member.id}: ${roles}`;
}
