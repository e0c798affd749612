import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { AccessControl } from "../../typechain-types";
import { worldFixture } from "../helpers/securityFixtures";

const DEFAULT_ADMIN_ROLE = "0x" + "0".repeat(64);
type World = Awaited<ReturnType<typeof worldFixture>>;

/** Each contract with a role its deployer holds besides the admin role. */
const CONTRACTS: [string, (f: World) => Promise<[AccessControl, string]>][] = [
  ["ParticipantRegistry", async (f) => [f.registry as unknown as AccessControl, await f.registry.REGULATOR_ROLE()]],
  ["EnergyEscrow", async (f) => [f.escrow as unknown as AccessControl, await f.escrow.MARKET_ROLE()]],
  ["DoubleAuction", async (f) => [f.auction as unknown as AccessControl, await f.auction.OPERATOR_ROLE()]],
  ["ReputationMatching", async (f) => [f.matching as unknown as AccessControl, await f.matching.OPERATOR_ROLE()]],
];

describe("security: renouncing a role for another account (named error, no state change)", () => {
  for (const [name, pick] of CONTRACTS) {
    it(`${name}: AccessControlBadConfirmation, the holder keeps its roles`, async () => {
      const f = await loadFixture(worldFixture);
      const [c, second] = await pick(f);
      const holders = async () => [
        await c.hasRole(DEFAULT_ADMIN_ROLE, f.deployer.address),
        await c.hasRole(second, f.deployer.address),
      ];
      const before = await holders();
      // the holder cannot renounce for someone else, and nobody can renounce the holder's role for it
      await expect(
        c.connect(f.deployer).renounceRole(DEFAULT_ADMIN_ROLE, f.stranger.address),
      ).to.be.revertedWithCustomError(c, "AccessControlBadConfirmation");
      await expect(
        c.connect(f.stranger).renounceRole(DEFAULT_ADMIN_ROLE, f.deployer.address),
      ).to.be.revertedWithCustomError(c, "AccessControlBadConfirmation");
      await expect(c.connect(f.stranger).renounceRole(second, f.deployer.address)).to.be.revertedWithCustomError(
        c,
        "AccessControlBadConfirmation",
      );
      expect(await holders()).to.deep.equal(before);
      expect(before[0]).to.equal(true);
    });
  }
});
