import type { Order } from "./types";

/** Thrown when orders handed to the clearing break its preconditions. */
export class InvalidOrderError extends Error {
  override readonly name = "InvalidOrderError";
}

/**
 * Every reason `orders` cannot be cleared, as sentences; empty when they are valid.
 * Preconditions: unique non-empty ids, positive energy, non-negative prices, and a seq that is a
 * non-negative integer unique per side (the last tie-break must decide, or the merit order
 * would not be unique and the chain could disagree with the solver).
 */
export function orderProblems(orders: readonly Order[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const seqs = { seller: new Set<number>(), buyer: new Set<number>() };
  for (const order of orders) {
    // Named only when something is wrong: JSON.stringify per order would dominate large valid books.
    const name = () => `order ${JSON.stringify(order.id)}`;
    if (order.id.length === 0) problems.push("an order has an empty id");
    if (ids.has(order.id)) problems.push(`${name()}: duplicate id`);
    ids.add(order.id);
    if (order.side !== "seller" && order.side !== "buyer") problems.push(`${name()}: side must be seller or buyer`);
    if (order.energyWh <= 0n) problems.push(`${name()}: energyWh must be positive (got ${order.energyWh})`);
    if (order.quote < 0n) problems.push(`${name()}: quote must not be negative (got ${order.quote})`);
    if (order.reservation < 0n) problems.push(`${name()}: reservation must not be negative (got ${order.reservation})`);
    if (!Number.isSafeInteger(order.seq) || order.seq < 0) {
      problems.push(`${name()}: seq must be a non-negative integer (got ${order.seq})`);
    } else if (order.side === "seller" || order.side === "buyer") {
      if (seqs[order.side].has(order.seq)) problems.push(`${name()}: seq ${order.seq} is used twice by ${order.side}s`);
      seqs[order.side].add(order.seq);
    }
  }
  return problems;
}

export function assertValidOrders(orders: readonly Order[]): void {
  const problems = orderProblems(orders);
  if (problems.length > 0) throw new InvalidOrderError(problems.join("; "));
}
