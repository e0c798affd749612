import hre from "hardhat";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, id } from "ethers";
import type { GreenCertificate } from "../../typechain-types";

const MINTER_ROLE = id("MINTER_ROLE");
const DEFAULT_ADMIN_ROLE = "0x" + "0".repeat(64);
const VINTAGE = 24n;
const HELD = 5_000n;

/** A holder with HELD Wh of vintage 24, a minter standing in for the escrow, and a contract without ERC-1155 hooks. */
async function heldFixture() {
  const [admin, minter, holder, other] = await hre.ethers.getSigners();
  const certificates = (await hre.ethers.deployContract("GreenCertificate", [
    admin.address,
    "ipfs://greengrid/{id}",
  ])) as unknown as GreenCertificate;
  await certificates.connect(admin).grantRole(MINTER_ROLE, minter.address);
  await certificates.connect(minter).mint(holder.address, VINTAGE, HELD, 1n);
  const wallet = await hre.ethers.deployContract("ContractParticipant", [], holder);
  return { certificates, admin, minter, holder, other, wallet: await wallet.getAddress() };
}

async function balances(c: GreenCertificate, accounts: string[]) {
  return {
    held: await c.balanceOfBatch(
      accounts,
      accounts.map(() => VINTAGE),
    ),
    supply: await c["totalSupply(uint256)"](VINTAGE),
  };
}

describe("security: GreenCertificate negative paths (named error, arguments, no state change)", () => {
  it("a transfer by someone the holder never approved: ERC1155MissingApprovalForAll", async () => {
    const { certificates, holder, other } = await loadFixture(heldFixture);
    const before = await balances(certificates, [holder.address, other.address]);
    await expect(certificates.connect(other).safeTransferFrom(holder.address, other.address, VINTAGE, 1n, "0x"))
      .to.be.revertedWithCustomError(certificates, "ERC1155MissingApprovalForAll")
      .withArgs(other.address, holder.address);
    await expect(
      certificates.connect(other).safeBatchTransferFrom(holder.address, other.address, [VINTAGE], [1n], "0x"),
    )
      .to.be.revertedWithCustomError(certificates, "ERC1155MissingApprovalForAll")
      .withArgs(other.address, holder.address);
    expect(await balances(certificates, [holder.address, other.address])).to.deep.equal(before);
  });

  it("a transfer or mint to the zero address or to a contract without receiver hooks: ERC1155InvalidReceiver", async () => {
    const { certificates, holder, minter, wallet } = await loadFixture(heldFixture);
    const before = await balances(certificates, [holder.address, wallet]);
    await expect(certificates.connect(holder).safeTransferFrom(holder.address, ZeroAddress, VINTAGE, 1n, "0x"))
      .to.be.revertedWithCustomError(certificates, "ERC1155InvalidReceiver")
      .withArgs(ZeroAddress);
    await expect(certificates.connect(holder).safeTransferFrom(holder.address, wallet, VINTAGE, 1n, "0x"))
      .to.be.revertedWithCustomError(certificates, "ERC1155InvalidReceiver")
      .withArgs(wallet);
    await expect(certificates.connect(minter).mint(ZeroAddress, VINTAGE, 1n, 0n))
      .to.be.revertedWithCustomError(certificates, "ERC1155InvalidReceiver")
      .withArgs(ZeroAddress);
    expect(await balances(certificates, [holder.address, wallet])).to.deep.equal(before);
  });

  it("a batch transfer with ids and amounts of different lengths: ERC1155InvalidArrayLength", async () => {
    const { certificates, holder, other } = await loadFixture(heldFixture);
    const before = await balances(certificates, [holder.address, other.address]);
    await expect(
      certificates.connect(holder).safeBatchTransferFrom(holder.address, other.address, [VINTAGE, 25n], [1n], "0x"),
    )
      .to.be.revertedWithCustomError(certificates, "ERC1155InvalidArrayLength")
      .withArgs(2, 1);
    await expect(certificates.balanceOfBatch([holder.address], [VINTAGE, 25n]))
      .to.be.revertedWithCustomError(certificates, "ERC1155InvalidArrayLength")
      .withArgs(2, 1);
    expect(await balances(certificates, [holder.address, other.address])).to.deep.equal(before);
  });

  it("approving the zero address as operator: ERC1155InvalidOperator", async () => {
    const { certificates, holder } = await loadFixture(heldFixture);
    await expect(certificates.connect(holder).setApprovalForAll(ZeroAddress, true))
      .to.be.revertedWithCustomError(certificates, "ERC1155InvalidOperator")
      .withArgs(ZeroAddress);
    expect(await certificates.isApprovedForAll(holder.address, ZeroAddress)).to.equal(false);
  });

  it("renouncing a role for another account: AccessControlBadConfirmation", async () => {
    const { certificates, admin, minter } = await loadFixture(heldFixture);
    await expect(
      certificates.connect(admin).renounceRole(MINTER_ROLE, minter.address),
    ).to.be.revertedWithCustomError(certificates, "AccessControlBadConfirmation");
    await expect(
      certificates.connect(minter).renounceRole(DEFAULT_ADMIN_ROLE, admin.address),
    ).to.be.revertedWithCustomError(certificates, "AccessControlBadConfirmation");
    expect(await certificates.hasRole(MINTER_ROLE, minter.address)).to.equal(true);
    expect(await certificates.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
  });
});
