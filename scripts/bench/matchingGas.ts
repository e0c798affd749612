/**
 * Gas of ReputationMatching with the real escrow: postOffer and postRequest (margin and prepayment
 * locks included), submitAssignment of the branch-and-bound's assignment (src/chain/matching
 * readCycle -> src/core/matching toGapInstance -> src/core/gap solveGap, as the match:solve task
 * does), and finalize into escrow trades.
 */
import type { Wallet } from "ethers";
import { readCycle } from "../../src/chain/matching";
import { solveGap } from "../../src/core/gap";
import { GRID, toGapInstance, toOnChainAssignment } from "../../src/core/matching";
import { seededRandom } from "../../src/core/random";
import { encode, type BenchChain, type Call } from "./chain";
import { TX_GAS_CAP, gasOf } from "./auctionGas";
import { GEUR, enrol, type Market } from "./market";

const TICK = 10_000;
const MARGIN = GEUR;
/** Requests and offers alternate between regions 1 and 2 and voltage levels 1 and 2, so fees and distances apply. */
const FEES: readonly [level: number, base: bigint, perDistance: bigint][] = [
  [1, 20_000n, 1_000n],
  [2, 30_000n, 2_000n],
];
const GAS = { admin: 300_000n, post: 400_000n } as const;
/** Requests finalize handles per call. */
export const MATCHING_FINALIZE_STEPS = 50;

export interface MatchingRun {
  readonly requests: number;
  readonly offers: number;
  readonly postOfferGas: readonly number[];
  readonly postRequestGas: readonly number[];
  readonly submitAssignmentGas: number;
  readonly assigned: number;
  readonly finalizeGas: readonly number[];
  readonly trades: number;
  readonly solverStatus: string;
}

/** Sets the operator's fee schedule and the distance between regions 1 and 2 (once per deployment). */
export async function configureFees(chain: BenchChain, market: Market): Promise<void> {
  const { matching, deployer, addresses } = market;
  await chain.bulk([
    ...FEES.map(
      ([level, base, perDistance]): Call => ({
        from: deployer,
        to: addresses.matching,
        gasLimit: GAS.admin,
        label: `setFees ${level}`,
        data: encode(matching, "setFees", [level, base, perDistance]),
      }),
    ),
    {
      from: deployer,
      to: addresses.matching,
      gasLimit: GAS.admin,
      label: "setRegionDistance",
      data: encode(matching, "setRegionDistance", [1, 2, 10]),
    },
  ]);
}

/**
 * One cycle with `requests` requests and `offers` offers from fresh participants: prices on ticks,
 * offers between 0.40 and 0.60, maximum prices between 0.60 and 1.00, requests of 1 to 5 kWh,
 * offer capacities summing to about 1.2 times the demand.
 */
export async function runMatching(
  chain: BenchChain,
  market: Market,
  requests: number,
  offers: number,
  seed: number,
): Promise<MatchingRun> {
  const { matching, addresses, deployer } = market;
  const random = seededRandom(seed);
  const energy = Array.from({ length: requests }, () => BigInt(random.int(1_000, 5_000)));
  const maxPrice = Array.from({ length: requests }, () => BigInt(random.int(60, 100) * TICK));
  const price = Array.from({ length: offers }, () => BigInt(random.int(40, 60) * TICK));
  const demand = energy.reduce((a, b) => a + b, 0n);
  const capacity = (demand * 12n) / 10n / BigInt(offers);

  const wallets = await enrol(chain, market, `matching ${requests}x${offers}`, offers + requests, {
    depositEach: 100n * GEUR,
    region: (k) => 1 + (k % 2),
    voltageLevel: (k) => 1 + ((k >> 1) % 2),
  });
  const providers = wallets.slice(0, offers);
  const users = wallets.slice(offers);

  const now = BigInt(await chain.latestTimestamp());
  const params = {
    region: 0,
    postingEnds: now + 3_600n,
    submissionEnds: now + 7_200n,
    deliveryStart: now + 10_800n,
    deliveryEnd: now + 14_400n,
    settlementDeadline: now + 86_400n,
    requestCap: requests,
    offerCap: offers,
    margin: MARGIN,
  };
  await chain.send({
    from: deployer,
    to: addresses.matching,
    gasLimit: GAS.admin,
    label: "openCycle",
    data: encode(matching, "openCycle", [params]),
  });
  const cycleId = await matching.cycleCount();
  const post = (wallet: Wallet, label: string, data: string): Call => ({
    from: wallet,
    to: addresses.matching,
    gasLimit: GAS.post,
    label,
    data,
  });
  const postOfferGas = (
    await chain.bulk(
      providers.map((w, j) => post(w, `postOffer #${j}`, encode(matching, "postOffer", [cycleId, price[j], capacity]))),
    )
  ).map(gasOf);
  const postRequestGas = (
    await chain.bulk(
      users.map((w, i) =>
        post(w, `postRequest #${i}`, encode(matching, "postRequest", [cycleId, energy[i], maxPrice[i]])),
      ),
    )
  ).map(gasOf);

  await chain.mineAt(Number(params.postingEnds));
  const cycle = await readCycle(matching, cycleId);
  const gap = toGapInstance(cycle);
  // The node-count limit keeps the solve deterministic (no clock); these instances solve at the root.
  const solved = solveGap(gap.instance, { nodeLimit: 100_000 });
  if (!solved.assignment)
    throw new Error(`matching ${requests}x${offers}: the solver found no assignment (${solved.status})`);
  const assignment = toOnChainAssignment(gap, solved.assignment);
  const submitted = await chain.send({
    from: deployer,
    to: addresses.matching,
    gasLimit: BigInt(TX_GAS_CAP),
    label: "submitAssignment",
    data: encode(matching, "submitAssignment", [cycleId, assignment]),
  });

  await chain.mineAt(Number(params.submissionEnds));
  const finalizeGas: number[] = [];
  for (let call = 0; call <= requests + offers; call++) {
    const receipt = await chain.send({
      from: deployer,
      to: addresses.matching,
      gasLimit: BigInt(TX_GAS_CAP),
      label: `finalize cycle ${cycleId} call ${call}`,
      data: encode(matching, "finalize", [cycleId, assignment, MATCHING_FINALIZE_STEPS]),
    });
    finalizeGas.push(gasOf(receipt));
    if ((await matching.cycleState(cycleId)).finalized) break;
  }
  const state = await matching.cycleState(cycleId);
  if (!state.finalized) throw new Error(`cycle ${cycleId} did not finalize`);
  return {
    requests,
    offers,
    postOfferGas,
    postRequestGas,
    submitAssignmentGas: gasOf(submitted),
    assigned: assignment.filter((a) => a !== GRID).length,
    finalizeGas,
    trades: Number(state.trades),
    solverStatus: solved.status,
  };
}
