import type { ParticipantStatus } from "./types";

/** The regulator's review actions and the one status each may start from (the twin of ParticipantRegistry). */
export const REVIEW_ACTIONS = {
  approve: { from: ["Pending"], to: "Approved" },
  reject: { from: ["Pending"], to: "Rejected" },
  suspend: { from: ["Approved"], to: "Suspended" },
  reinstate: { from: ["Suspended"], to: "Approved" },
  delist: { from: ["Pending", "Approved", "Rejected", "Suspended"], to: "Delisted" },
} as const satisfies Record<string, { from: readonly ParticipantStatus[]; to: ParticipantStatus }>;

export type ReviewAction = keyof typeof REVIEW_ACTIONS;

/** Why `action` cannot apply to a participant in `status`, or null when it can. */
export function transitionProblem(action: ReviewAction, status: ParticipantStatus): string | null {
  const rule = REVIEW_ACTIONS[action];
  if ((rule.from as readonly ParticipantStatus[]).includes(status)) return null;
  if (status === "None") return "the account is not registered";
  return `a participant that is ${status} cannot be moved to ${rule.to} (${action} applies to ${rule.from.join(
    " or ",
  )})`;
}
