import hre from "hardhat";

/**
 * True while `hardhat coverage` runs the tests. Its instrumentation adds gas to every statement, so
 * assertions about gas amounts (caps, equal costs, explicit gas limits) measure the probes, not the
 * contracts: those assertions are skipped then, and the rest of their tests still run. The negative cases
 * also skip their view digests there (the plain run checks every one of them).
 */
export const UNDER_COVERAGE =
  (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true ||
  process.env.SOLIDITY_COVERAGE === "true";
