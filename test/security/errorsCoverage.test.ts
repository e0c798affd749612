import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { SECURED_CONTRACTS } from "../helpers/securityFixtures";

const TEST_ROOT = path.join(__dirname, "..");

/**
 * Errors in a contract's ABI that no transaction can trigger, with the reason. Each entry is checked to be
 * declared and still uncovered, so the list cannot go stale silently.
 */
const UNREACHABLE: Record<string, Record<string, string>> = {
  EnergyEscrow: {
    InvalidShortString: "OZ ShortStrings, only from EIP712's constructor: the domain name and version are constants",
    StringTooLong: "OZ ShortStrings.toShortString, never called: EIP712 uses toShortStringWithFallback",
  },
  ReputationMatching: {
    SafeCastOverflowedUintToInt:
      "MatchingMath.revenue casts floor(R * r / 1000) with R, r < 2^64, so every value is below 2^128 < 2^255",
  },
  GreenCertificate: {
    ERC1155InvalidApprover: "OZ _setApprovalForAll(owner = msg.sender): msg.sender is never address(0)",
    ERC1155InvalidSender:
      "from == 0 fails the approval check first (ERC1155MissingApprovalForAll); _burn's owner is msg.sender",
  },
  SettlementToken: {
    ERC20InvalidSender:
      "transfer's sender is msg.sender; transferFrom(0, ..) spends the zero address's allowance first, which " +
      "fails with ERC20InsufficientAllowance or, for zero units, ERC20InvalidApprover; mint has no sender",
  },
};

/** The secured contracts and the settlement token, whose own errors the negative tables also expect. */
const CHECKED_CONTRACTS = [...SECURED_CONTRACTS, "SettlementToken"] as const;

function testSources(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return testSources(full);
    if (!e.name.endsWith(".ts") || full === __filename) return [];
    return [{ file: path.relative(TEST_ROOT, full), text: fs.readFileSync(full, "utf8") }];
  });
}

/** The negative-case tables: the runner (security/negative.test.ts) expects each case's `error` by name. */
const NEGATIVE_TABLES = path.join("security", "negative") + path.sep;

/** Files that expect `name` with revertedWithCustomError (directly or from a table of error names). */
function filesExpecting(name: string, sources: { file: string; text: string }[]): string[] {
  const expects = (s: { file: string; text: string }) =>
    s.text.includes("revertedWithCustomError") || s.file.startsWith(NEGATIVE_TABLES);
  return sources
    .filter((s) => expects(s) && s.text.includes(`"${name}"`))
    .map((s) => s.file);
}

describe("security: every custom error is expected by a test", () => {
  const sources = testSources(TEST_ROOT);

  for (const name of CHECKED_CONTRACTS) {
    it(`${name}: each declared error is expected somewhere in test/ (or listed as unreachable)`, async () => {
      const artifact = await hre.artifacts.readArtifact(name);
      const declared = [
        ...new Set(
          artifact.abi.filter((item: { type: string }) => item.type === "error").map((e: { name: string }) => e.name),
        ),
      ].sort();
      const unreachable = UNREACHABLE[name] ?? {};
      const uncovered = declared.filter((e) => filesExpecting(e, sources).length === 0);
      const covered = declared.length - uncovered.length;
      console.log(
        `      ${name}: ${declared.length} errors declared, ${covered} expected by tests, ` +
          `${Object.keys(unreachable).length} unreachable (${Object.keys(unreachable).join(", ") || "none"})`,
      );
      expect(uncovered.filter((e) => !(e in unreachable)), "errors no test expects").to.deep.equal([]);
      for (const e of Object.keys(unreachable)) {
        expect(declared, `${e} is listed as unreachable but not declared`).to.include(e);
        expect(uncovered, `${e} is listed as unreachable but a test expects it: drop it from the list`).to.include(e);
      }
    });
  }
});
