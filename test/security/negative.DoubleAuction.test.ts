import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { worldFixture } from "../helpers/securityFixtures";

const DEFAULT_ADMIN_ROLE = "0x" + "0".repeat(64);

describe("security: DoubleAuction negative paths (named error, arguments, no state change)", () => {
  it("renouncing a role for another account: AccessControlBadConfirmation, the holder keeps it", async () => {
    const f = await loadFixture(worldFixture);
    const c = f.auction;
    const second = await f.auction.OPERATOR_ROLE();
    // the holder cannot renounce for someone else, and nobody can renounce the holder's role for it
    await expect(c.connect(f.deployer).renounceRole(DEFAULT_ADMIN_ROLE, f.stranger.address)).to.be.revertedWithCustomError(
      c,
      "AccessControlBadConfirmation",
    );
    await expect(c.connect(f.stranger).renounceRole(DEFAULT_ADMIN_ROLE, f.deployer.address)).to.be.revertedWithCustomError(
      c,
      "AccessControlBadConfirmation",
    );
    const holders = [await c.hasRole(DEFAULT_ADMIN_ROLE, f.deployer.address), await c.hasRole(second, f.deployer.address)];
    await expect(c.connect(f.stranger).renounceRole(second, f.deployer.address)).to.be.revertedWithCustomError(
      c,
      "AccessControlBadConfirmation",
    );
    expect([await c.hasRole(DEFAULT_ADMIN_ROLE, f.deployer.address), await c.hasRole(second, f.deployer.address)]).to.deep.equal(
      holders,
    );
    expect(holders[0]).to.equal(true);
  });
});
