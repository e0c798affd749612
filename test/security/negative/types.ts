import type { BaseContract } from "ethers";

/** One malformed call of one external function, and the custom error it must end in. */
export interface NegativeCase<Ctx> {
  /** The external function's name as in the ABI (overloads share a name), or "constructor" for a deployment. */
  readonly fn: string;
  /** What is wrong with the call, in a few words. */
  readonly title: string;
  /** Sends the malformed transaction (not a static call), so a missing revert would change state. */
  readonly send: (ctx: Ctx) => Promise<unknown>;
  readonly error: string;
  /** The error's expected arguments; omitted only for errors that take none. */
  readonly args?: (ctx: Ctx) => readonly unknown[];
  /** The contract whose ABI declares the error, when it is not the suite's contract (a library's or token's). */
  readonly declaredBy?: (ctx: Ctx) => BaseContract;
}

/** The negative cases of one contract, on a fixture that puts it in a state where every case is meaningful. */
export interface NegativeSuite<Ctx> {
  /** The artifact name; every state-changing function of its ABI needs MIN_CASES_PER_FUNCTION cases. */
  readonly contract: string;
  readonly fixture: () => Promise<Ctx>;
  readonly target: (ctx: Ctx) => BaseContract;
  /** What a reader can see of the system; equal before and after every case. */
  readonly digest: (ctx: Ctx) => Promise<string>;
  readonly cases: readonly NegativeCase<Ctx>[];
}

export const MIN_CASES_PER_FUNCTION = 4;
