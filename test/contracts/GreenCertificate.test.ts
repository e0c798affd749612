import hre from "hardhat";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, id } from "ethers";

const MINTER_ROLE = id("MINTER_ROLE");
const DEFAULT_ADMIN_ROLE = "0x" + "0".repeat(64);
const MWH = 1_000_000n;

/** A certificate contract whose minter is a plain account standing in for the escrow. */
async function certificateFixture() {
  const [admin, minter, holder, other] = await hre.ethers.getSigners();
  const certificates = await hre.ethers.deployContract("GreenCertificate", [admin.address, "ipfs://greengrid/{id}"]);
  await certificates.connect(admin).grantRole(MINTER_ROLE, minter.address);
  return { certificates, admin, minter, holder, other };
}

async function heldFixture() {
  const base = await certificateFixture();
  await base.certificates.connect(base.minter).mint(base.holder.address, 24n, 3n * MWH + 500n, 7n);
  return base;
}

describe("GreenCertificate", () => {
  it("counts 1 unit = 1 Wh and one certificate = 1 MWh", async () => {
    const { certificates } = await loadFixture(certificateFixture);
    expect(await certificates.WH_PER_CERTIFICATE()).to.equal(MWH);
    expect(await certificates.uri(24n)).to.equal("ipfs://greengrid/{id}");
  });

  it("mints by MINTER_ROLE only, with the trade id in CertificateIssued", async () => {
    const { certificates, minter, holder, admin } = await loadFixture(certificateFixture);
    await expect(certificates.connect(minter).mint(holder.address, 24n, 1_500n, 7n))
      .to.emit(certificates, "CertificateIssued")
      .withArgs(holder.address, 24n, 1_500n, 7n)
      .and.to.emit(certificates, "TransferSingle")
      .withArgs(minter.address, ZeroAddress, holder.address, 24n, 1_500n);
    expect(await certificates.balanceOf(holder.address, 24n)).to.equal(1_500n);
    expect(await certificates["totalSupply(uint256)"](24n)).to.equal(1_500n);
    await expect(certificates.connect(admin).mint(holder.address, 24n, 1n, 0n))
      .to.be.revertedWithCustomError(certificates, "AccessControlUnauthorizedAccount")
      .withArgs(admin.address, MINTER_ROLE);
    await expect(certificates.connect(minter).mint(holder.address, 24n, 0n, 0n)).to.be.revertedWithCustomError(
      certificates,
      "CertificateZeroAmount",
    );
  });

  it("keeps vintages apart (token id = delivery period)", async () => {
    const { certificates, minter, holder } = await loadFixture(certificateFixture);
    await certificates.connect(minter).mint(holder.address, 24n, 10n, 1n);
    await certificates.connect(minter).mint(holder.address, 25n, 20n, 2n);
    expect(await certificates.balanceOfBatch([holder.address, holder.address], [24n, 25n])).to.deep.equal([10n, 20n]);
  });

  it("transfers as a standard ERC-1155", async () => {
    const { certificates, holder, other } = await loadFixture(heldFixture);
    await certificates.connect(holder).safeTransferFrom(holder.address, other.address, 24n, MWH, "0x");
    expect(await certificates.balanceOf(other.address, 24n)).to.equal(MWH);
    expect(await certificates.balanceOf(holder.address, 24n)).to.equal(2n * MWH + 500n);
  });

  it("retires: burns the holder's Wh and records the claim for the beneficiary", async () => {
    const { certificates, holder } = await loadFixture(heldFixture);
    await expect(certificates.connect(holder).retire(24n, 2n * MWH, "Bakery Müller, Scope 2 2025"))
      .to.emit(certificates, "CertificateRetired")
      .withArgs(holder.address, 24n, 2n * MWH, "Bakery Müller, Scope 2 2025")
      .and.to.emit(certificates, "TransferSingle")
      .withArgs(holder.address, holder.address, ZeroAddress, 24n, 2n * MWH);
    expect(await certificates.balanceOf(holder.address, 24n)).to.equal(MWH + 500n);
    expect(await certificates["totalSupply(uint256)"](24n)).to.equal(MWH + 500n);
    expect(await certificates.retiredWh(24n)).to.equal(2n * MWH);
    expect(await certificates.retiredWhOf(holder.address, 24n)).to.equal(2n * MWH);
  });

  it("refuses to retire more than held, nothing, or without a beneficiary", async () => {
    const { certificates, holder } = await loadFixture(heldFixture);
    await expect(certificates.connect(holder).retire(24n, 3n * MWH + 501n, "x"))
      .to.be.revertedWithCustomError(certificates, "ERC1155InsufficientBalance")
      .withArgs(holder.address, 3n * MWH + 500n, 3n * MWH + 501n, 24n);
    await expect(certificates.connect(holder).retire(24n, 0n, "x")).to.be.revertedWithCustomError(
      certificates,
      "CertificateZeroAmount",
    );
    await expect(certificates.connect(holder).retire(24n, 1n, ""))
      .to.be.revertedWithCustomError(certificates, "CertificateInvalidBeneficiary")
      .withArgs(0, 128);
    await expect(certificates.connect(holder).retire(24n, 1n, "b".repeat(129)))
      .to.be.revertedWithCustomError(certificates, "CertificateInvalidBeneficiary")
      .withArgs(129, 128);
  });

  it("lets the admin change the URI, nobody else", async () => {
    const { certificates, admin, other } = await loadFixture(certificateFixture);
    await certificates.connect(admin).setURI("https://x/{id}");
    expect(await certificates.uri(1n)).to.equal("https://x/{id}");
    await expect(certificates.connect(other).setURI("y"))
      .to.be.revertedWithCustomError(certificates, "AccessControlUnauthorizedAccount")
      .withArgs(other.address, DEFAULT_ADMIN_ROLE);
  });

  it("supports the ERC-1155 and AccessControl interfaces", async () => {
    const { certificates } = await loadFixture(certificateFixture);
    expect(await certificates.supportsInterface("0xd9b67a26")).to.equal(true); // ERC-1155
    expect(await certificates.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
    expect(await certificates.supportsInterface("0xffffffff")).to.equal(false);
  });

  it("refuses a zero admin", async () => {
    const factory = await hre.ethers.getContractFactory("GreenCertificate");
    await expect(factory.deploy(ZeroAddress, ""))
      .to.be.revertedWithCustomError(factory, "CertificateInvalidAddress")
      .withArgs(ZeroAddress);
  });
});
