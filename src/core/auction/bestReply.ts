/**
 * The exact best reply of one competitor to the others' quotes, without scanning ticks.
 *
 * Setting (normalised, see longSide.ts): competitor c with energy e and reservation r picks an
 * ask a in [r, highest]. The n-1 others keep their quotes; sort them by merit key into
 * O_0 < O_1 < ... and let P_k be the energy of O_0..O_{k-1}, strictly increasing in k.
 * c's key is (a, r, seq); its rank k(a) = number of others with a smaller key, non-decreasing
 * in a. Q is the quota the short side takes.
 *
 * Utility by rank k (all cases of the clearing rule):
 *   - P_k >= Q:             c sells nothing, utility 0.
 *   - P_k + e < Q ("full"):  c sells e; the marginal is another competitor, namely O_Kf where
 *                            Kf = max{k : P_k < Q - e}, so the price (O_Kf's quote, or
 *                            O_{Kf+1}'s when O_Kf is exhausted) is the SAME for every full rank.
 *   - otherwise ("window"):  c is m and sells Q - P_k. With energy left, the price is a itself;
 *                            exhausted (only possible at rank Kf+1), the price is O_k's quote,
 *                            or a when c is last.
 * Inside one rank the utility is constant or increasing in a, so the best ask of a rank is its
 * top: top(k) = O_k's quote if c wins the tie with O_k (lower reservation, then earlier seq),
 * else one tick less; capped at `highest`; the rank is empty when top(k) does not clear O_{k-1}.
 *
 * Tie-break among replies of equal utility ("the highest ask a seller can hold its rank with"):
 *   1. the top of c's CURRENT rank g (its position among the others' published quotes), if it
 *      reaches the best utility: a participant does not give up its place for nothing;
 *   2. otherwise the highest ask.
 * Both are rank tops, so comparing rank tops only is enough. Rule 1 matters when the best
 * utility is 0: without it a matched seller that cannot earn anything would jump to the retail
 * tariff and hand its quota to a participant that the SPEC does not let adjust.
 *
 * Which candidates can win, and why the set is small:
 *   - all full ranks share one utility, so only the highest full top, top(Kf), matters;
 *   - all zero-utility ranks share utility 0, so only the highest ask overall, `highest`,
 *     matters (it is evaluated directly, whatever its rank);
 *   - the window ranks Kf+1..Km (Km = max{k : P_k < Q}) are the others whose cumulative energy
 *     lies within e of the quota: typically one or two. Scanned from the top, the scan stops as
 *     soon as (top(k) - r) x (Q - P_{Kf+2}) cannot beat the best so far, because below Kf+2 the
 *     price is at most top(k) and the sale at most Q - P_{Kf+2}; rank Kf+1 is checked apart.
 * Cost per competitor: O(log n) for the binary searches plus the window scan, which is O(1)
 * unless c's energy dwarfs that of many others sitting right at the margin (worst case O(n)).
 */
import type { LongSide, Profile } from "./longSide";

export interface Reply {
  /** Normalised ask. */
  readonly quote: number;
  /** Normalised utility, ticks x Wh. */
  readonly utility: number;
}

export function exactBestReply(side: LongSide, profile: Profile, c: number): Reply {
  const { quotes, order, prefixWh } = profile;
  const { reservation, seq } = side;
  const e = side.energyWh[c];
  const r = reservation[c];
  const s = seq[c];
  const Q = side.quotaWh;
  const highest = side.highest;
  const g = profile.position[c];
  const others = side.size - 1;

  const otherAt = (k: number): number => order[k < g ? k : k + 1];
  const othersPrefix = (k: number): number => (k <= g ? prefixWh[k] : prefixWh[k + 1] - e);
  const winsTieWith = (o: number): boolean => r < reservation[o] || (r === reservation[o] && s < seq[o]);
  const top = (k: number): number => {
    if (k >= others) return highest;
    const o = otherAt(k);
    return Math.min(highest, winsTieWith(o) ? quotes[o] : quotes[o] - 1);
  };
  const rankIsEmpty = (k: number, a: number): boolean => {
    if (k === 0) return false;
    const before = otherAt(k - 1);
    return a < quotes[before] || (a === quotes[before] && winsTieWith(before));
  };
  /** max{k in 0..others : P_k < limit}, or -1. */
  const lastRankBelow = (limit: number): number => {
    let low = -1;
    let high = others;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (othersPrefix(mid) < limit) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const rankOf = (a: number): number => {
    let low = 0;
    let high = side.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const o = order[mid];
      const less = quotes[o] < a || (quotes[o] === a && (reservation[o] < r || (reservation[o] === r && seq[o] < s)));
      if (less) low = mid + 1;
      else high = mid;
    }
    return quotes[c] < a ? low - 1 : low;
  };

  const lastFull = lastRankBelow(Q - e);
  const lastWindow = lastRankBelow(Q);
  let fullPrice = Number.NaN;
  if (lastFull >= 0) {
    const m = otherAt(lastFull);
    const exhausted = othersPrefix(lastFull + 1) === Q - e;
    fullPrice = exhausted && lastFull + 1 < others ? quotes[otherAt(lastFull + 1)] : quotes[m];
  }
  const windowUtility = (k: number, a: number): number => {
    const sold = Q - othersPrefix(k);
    const exhausted = sold === e;
    const price = exhausted && k < others ? quotes[otherAt(k)] : a;
    return (price - r) * sold;
  };
  const utilityAt = (a: number): number => {
    const k = rankOf(a);
    const before = othersPrefix(k);
    if (before >= Q) return 0;
    if (before + e < Q) return (fullPrice - r) * e;
    return windowUtility(k, a);
  };

  let bestQuote = highest;
  let bestUtility = utilityAt(highest);
  const consider = (a: number, u: number): void => {
    if (u > bestUtility || (u === bestUtility && a > bestQuote)) {
      bestQuote = a;
      bestUtility = u;
    }
  };

  const firstWindow = lastFull + 1;
  const boundSoldWh = firstWindow + 1 <= lastWindow ? Q - othersPrefix(firstWindow + 1) : 0;
  // Loop bound: at most lastWindow - firstWindow + 1 ranks, each visited once.
  for (let k = lastWindow; k >= firstWindow; k--) {
    const a = top(k);
    if (a < r) break; // tops only fall as k falls: no lower rank is affordable either
    if (k > firstWindow && (a - r) * boundSoldWh <= bestUtility) k = firstWindow + 1;
    else if (!rankIsEmpty(k, a)) consider(a, windowUtility(k, a));
  }
  if (lastFull >= 0) {
    const a = top(lastFull);
    if (a >= r) consider(a, (fullPrice - r) * e);
  }
  // Tie-break: the highest ask that holds the current rank g wins over any other equal reply.
  // Rank g is never empty (the current quote is in it), and its top is its best ask.
  const holdQuote = top(g);
  if (utilityAt(holdQuote) === bestUtility) return { quote: holdQuote, utility: bestUtility };
  return { quote: bestQuote, utility: bestUtility };
}
