import hre from "hardhat";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, id } from "ethers";

const MINTER_ROLE = id("MINTER_ROLE");
const DEFAULT_ADMIN_ROLE = "0x" + "0".repeat(64);

async function tokenFixture() {
  const [admin, alice, bob] = await hre.ethers.getSigners();
  const token = await hre.ethers.deployContract("SettlementToken", [admin.address]);
  return { token, admin, alice, bob };
}

describe("SettlementToken", () => {
  it("is GreenGrid Test Euro, gEUR, with 6 decimals and no initial supply", async () => {
    const { token } = await loadFixture(tokenFixture);
    expect(await token.name()).to.equal("GreenGrid Test Euro");
    expect(await token.symbol()).to.equal("gEUR");
    expect(await token.decimals()).to.equal(6n);
    expect(await token.totalSupply()).to.equal(0n);
  });

  it("gives the admin both the admin and the minter role", async () => {
    const { token, admin } = await loadFixture(tokenFixture);
    expect(await token.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
    expect(await token.hasRole(MINTER_ROLE, admin.address)).to.equal(true);
  });

  it("lets a minter mint exact base units", async () => {
    const { token, admin, alice } = await loadFixture(tokenFixture);
    await expect(token.connect(admin).mint(alice.address, 12_500_000n))
      .to.emit(token, "Transfer")
      .withArgs(ZeroAddress, alice.address, 12_500_000n);
    expect(await token.balanceOf(alice.address)).to.equal(12_500_000n);
  });

  it("refuses minting by an account without MINTER_ROLE", async () => {
    const { token, alice } = await loadFixture(tokenFixture);
    await expect(token.connect(alice).mint(alice.address, 1n))
      .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
      .withArgs(alice.address, MINTER_ROLE);
  });

  it("lets the admin grant MINTER_ROLE", async () => {
    const { token, admin, alice, bob } = await loadFixture(tokenFixture);
    await token.connect(admin).grantRole(MINTER_ROLE, alice.address);
    await token.connect(alice).mint(bob.address, 7n);
    expect(await token.balanceOf(bob.address)).to.equal(7n);
  });

  it("refuses a zero admin", async () => {
    const factory = await hre.ethers.getContractFactory("SettlementToken");
    await expect(factory.deploy(ZeroAddress))
      .to.be.revertedWithCustomError(factory, "SettlementTokenInvalidAddress")
      .withArgs(ZeroAddress);
  });

  it("transfers like any ERC-20", async () => {
    const { token, admin, alice, bob } = await loadFixture(tokenFixture);
    await token.connect(admin).mint(alice.address, 100n);
    await token.connect(alice).transfer(bob.address, 40n);
    expect(await token.balanceOf(alice.address)).to.equal(60n);
    expect(await token.balanceOf(bob.address)).to.equal(40n);
  });
});
