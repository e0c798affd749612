import fs from "node:fs";
import hre from "hardhat";
import { expect } from "chai";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, type BaseContract, type Signer } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { worldFixture } from "../helpers/securityFixtures";
import { GEUR, meterWallet, registerParty, tradeTerms } from "../helpers/escrowFixtures";
import { ROLES_EXPECTED_PATH, formatGuardTable, guardTable, OPEN, type GuardTable } from "../../scripts/roles";

/**
 * Who holds what: the deployer is admin everywhere (and operator of both markets); `operator` holds only
 * OPERATOR_ROLE on the markets; `market` holds only MARKET_ROLE on the escrow; `escrowContract` is the escrow
 * itself (ESCROW_ROLE on the matching, MINTER_ROLE on the certificates, as the Ignition module wires it);
 * `stranger` holds nothing.
 */
async function matrixFixture() {
  const w = await worldFixture();
  const signers = await hre.ethers.getSigners();
  const [operator, market, sellerSigner, buyerSigner] = signers.slice(5, 9);
  await w.auction.grantRole(await w.auction.OPERATOR_ROLE(), operator.address);
  await w.matching.grantRole(await w.matching.OPERATOR_ROLE(), operator.address);
  await w.escrow.grantRole(await w.escrow.MARKET_ROLE(), market.address);
  const escrowAddress = await w.escrow.getAddress();
  await setBalance(escrowAddress, 10n ** 18n);
  const escrowContract = await hre.ethers.getImpersonatedSigner(escrowAddress);
  const seller = await registerParty(w.registry, w.deployer, sellerSigner, meterWallet("matrix seller"));
  const buyer = await registerParty(w.registry, w.deployer, buyerSigner, meterWallet("matrix buyer"), { source: "None" });
  for (const p of [seller, buyer]) {
    await w.token.mint(p.signer.address, 10n * GEUR);
    await w.token.connect(p.signer).approve(escrowAddress, 10n * GEUR);
    await w.escrow.connect(p.signer).deposit(10n * GEUR);
  }
  const actors: Record<Actor, HardhatEthersSigner> = {
    admin: w.deployer,
    operator,
    market,
    escrowContract,
    stranger: w.stranger,
  };
  return { ...w, actors, seller, buyer };
}
type Fixture = Awaited<ReturnType<typeof matrixFixture>>;
type Actor = "admin" | "operator" | "market" | "escrowContract" | "stranger";
const ACTORS: Actor[] = ["admin", "operator", "market", "escrowContract", "stranger"];
type Target = "DoubleAuction" | "ReputationMatching" | "EnergyEscrow" | "GreenCertificate";

function target(f: Fixture, t: Target) {
  return { DoubleAuction: f.auction, ReputationMatching: f.matching, EnergyEscrow: f.escrow, GreenCertificate: f.certificates }[
    t
  ] as unknown as BaseContract & {
    hasRole(role: string, account: string): Promise<boolean>;
    getFunction(name: string): (...args: unknown[]) => Promise<unknown>;
  };
}

interface Row {
  contract: Target;
  fn: string;
  role: string;
  /** The call with arguments that succeed for a holder (a static call: nothing is written). */
  call: (f: Fixture, as: Signer) => Promise<unknown>;
}

async function periodParams() {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    tick: 10_000n,
    feedInTariff: 300_000n,
    retailTariff: 1_000_000n,
    roundDuration: 3600,
    maxRounds: 10,
    orderCap: 100,
    margin: GEUR,
    deliveryStart: now + 7200n,
    deliveryEnd: now + 10_800n,
    settlementDeadline: now + 86_400n,
  };
}

async function cycleParams() {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    postingEnds: now + 3_600n,
    submissionEnds: now + 7_200n,
    deliveryStart: now + 10_800n,
    deliveryEnd: now + 14_400n,
    settlementDeadline: now + 86_400n,
    requestCap: 16,
    offerCap: 8,
    margin: GEUR,
  };
}

const ROWS: Row[] = [
  // DoubleAuction
  { contract: "DoubleAuction", fn: "openPeriod", role: "OPERATOR_ROLE", call: async (f, as) => f.auction.connect(as).openPeriod.staticCall(await periodParams()) },
  { contract: "DoubleAuction", fn: "grantRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.auction.connect(as).grantRole.staticCall(await f.auction.OPERATOR_ROLE(), f.stranger.address) },
  { contract: "DoubleAuction", fn: "revokeRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.auction.connect(as).revokeRole.staticCall(await f.auction.OPERATOR_ROLE(), f.actors.operator.address) },
  // ReputationMatching
  { contract: "ReputationMatching", fn: "openCycle", role: "OPERATOR_ROLE", call: async (f, as) => f.matching.connect(as).openCycle.staticCall(await cycleParams()) },
  { contract: "ReputationMatching", fn: "setAlpha", role: "OPERATOR_ROLE", call: (f, as) => f.matching.connect(as).setAlpha.staticCall(5n * 10n ** 17n) },
  { contract: "ReputationMatching", fn: "setFees", role: "OPERATOR_ROLE", call: (f, as) => f.matching.connect(as).setFees.staticCall(1, 10_000n, 1_000n) },
  { contract: "ReputationMatching", fn: "setRegionDistance", role: "OPERATOR_ROLE", call: (f, as) => f.matching.connect(as).setRegionDistance.staticCall(1, 2, 5) },
  // a report for another market is accepted and ignored: the shortest successful call
  { contract: "ReputationMatching", fn: "recordDelivery", role: "ESCROW_ROLE", call: (f, as) => f.matching.connect(as).recordDelivery.staticCall(1n, ZeroAddress, 1n, f.stranger.address, 0n) },
  { contract: "ReputationMatching", fn: "grantRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.matching.connect(as).grantRole.staticCall(await f.matching.OPERATOR_ROLE(), f.stranger.address) },
  { contract: "ReputationMatching", fn: "revokeRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.matching.connect(as).revokeRole.staticCall(await f.matching.OPERATOR_ROLE(), f.actors.operator.address) },
  // EnergyEscrow
  { contract: "EnergyEscrow", fn: "lock", role: "MARKET_ROLE", call: (f, as) => f.escrow.connect(as).lock.staticCall(f.buyer.signer.address, GEUR) },
  {
    contract: "EnergyEscrow",
    fn: "unlock",
    role: "MARKET_ROLE",
    call: async (f, as) => {
      await f.escrow.connect(f.actors.market).lock(f.buyer.signer.address, GEUR);
      // `market` is the only MARKET_ROLE holder among the actors, so a holder unlocks its own lock
      return f.escrow.connect(as).unlock.staticCall(f.buyer.signer.address, GEUR);
    },
  },
  {
    contract: "EnergyEscrow",
    fn: "createTrade",
    role: "MARKET_ROLE",
    call: async (f, as) =>
      f.escrow.connect(as).createTrade.staticCall(
        tradeTerms(f.seller.signer.address, f.buyer.signer.address, await time.latest(), {
          sellerMargin: 0n,
          buyerMargin: 0n,
          energyWh: 1n,
          pricePerKwh: 0n,
        }),
      ),
  },
  { contract: "EnergyEscrow", fn: "setLossToleranceBps", role: "DEFAULT_ADMIN_ROLE", call: (f, as) => f.escrow.connect(as).setLossToleranceBps.staticCall(250) },
  { contract: "EnergyEscrow", fn: "setRewardPerTrade", role: "DEFAULT_ADMIN_ROLE", call: (f, as) => f.escrow.connect(as).setRewardPerTrade.staticCall(3n) },
  { contract: "EnergyEscrow", fn: "setReputationStore", role: "DEFAULT_ADMIN_ROLE", call: (f, as) => f.escrow.connect(as).setReputationStore.staticCall(ZeroAddress) },
  { contract: "EnergyEscrow", fn: "grantRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.escrow.connect(as).grantRole.staticCall(await f.escrow.MARKET_ROLE(), f.stranger.address) },
  { contract: "EnergyEscrow", fn: "revokeRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.escrow.connect(as).revokeRole.staticCall(await f.escrow.MARKET_ROLE(), f.actors.market.address) },
  // GreenCertificate
  { contract: "GreenCertificate", fn: "mint", role: "MINTER_ROLE", call: (f, as) => f.certificates.connect(as).mint.staticCall(f.buyer.signer.address, 24n, 1n, 0n) },
  { contract: "GreenCertificate", fn: "setURI", role: "DEFAULT_ADMIN_ROLE", call: (f, as) => f.certificates.connect(as).setURI.staticCall("ipfs://other/{id}") },
  { contract: "GreenCertificate", fn: "grantRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.certificates.connect(as).grantRole.staticCall(await f.certificates.MINTER_ROLE(), f.stranger.address) },
  { contract: "GreenCertificate", fn: "revokeRole", role: "DEFAULT_ADMIN_ROLE", call: async (f, as) => f.certificates.connect(as).revokeRole.staticCall(await f.certificates.MINTER_ROLE(), await f.escrow.getAddress()) },
];

async function roleHash(f: Fixture, row: Row): Promise<string> {
  if (row.role === "DEFAULT_ADMIN_ROLE") return "0x" + "0".repeat(64);
  return (await target(f, row.contract).getFunction(row.role)()) as string;
}

describe("security: role x function access matrix", () => {
  describe("every guarded function, called by every actor: holders pass, the others get AccessControlUnauthorizedAccount(account, role)", () => {
    for (const row of ROWS) {
      for (const actor of ACTORS) {
        it(`${row.contract}.${row.fn} [${row.role}] by ${actor}`, async () => {
          const f = await loadFixture(matrixFixture);
          const as = f.actors[actor];
          const role = await roleHash(f, row);
          const holds = await target(f, row.contract).hasRole(role, as.address);
          if (holds) {
            await row.call(f, as);
          } else {
            await expect(row.call(f, as))
              .to.be.revertedWithCustomError(target(f, row.contract), "AccessControlUnauthorizedAccount")
              .withArgs(as.address, role);
          }
        });
      }
    }
    it("each guarded function has at least one holder among the actors", async () => {
      const f = await loadFixture(matrixFixture);
      let allowed = 0;
      for (const row of ROWS) {
        const role = await roleHash(f, row);
        const holders = [];
        for (const a of ACTORS) if (await target(f, row.contract).hasRole(role, f.actors[a].address)) holders.push(a);
        expect(holders, `${row.contract}.${row.fn}`).to.not.be.empty;
        allowed += holders.length;
      }
      console.log(
        `      ${ROWS.length} guarded functions x ${ACTORS.length} actors = ${ROWS.length * ACTORS.length} role pairs ` +
          `(${allowed} allowed, ${ROWS.length * ACTORS.length - allowed} refused)`,
      );
    });
  });

  describe("the guard table (scripts/roles.ts) against test/security/roles.expected.json", () => {
    let table: GuardTable;
    before(async () => {
      const f = await loadFixture(matrixFixture);
      table = await guardTable(hre.ethers.provider, {
        ParticipantRegistry: f.registry,
        SettlementToken: f.token,
        EnergyEscrow: f.escrow,
        GreenCertificate: f.certificates,
        DoubleAuction: f.auction,
        ReputationMatching: f.matching,
      } as unknown as Record<string, BaseContract>);
    });

    it("matches the committed expectation: a new function or a changed guard needs `ROLES_WRITE=1 npx hardhat run scripts/roles.ts`", () => {
      const expected = JSON.parse(fs.readFileSync(ROLES_EXPECTED_PATH, "utf8")) as GuardTable;
      const functions = Object.values(table).reduce((n, fns) => n + Object.keys(fns).length, 0);
      const guarded = Object.values(table).reduce((n, fns) => n + Object.values(fns).filter((g) => g !== OPEN).length, 0);
      console.log(`      ${functions} state-changing functions in 6 contracts, ${guarded} guarded by a role`);
      if (JSON.stringify(table) !== JSON.stringify(expected)) console.log(formatGuardTable(table));
      expect(table).to.deep.equal(expected);
    });

    it("the matrix above has a row, with the same role, for every guarded function of the four contracts", () => {
      for (const contract of ["DoubleAuction", "ReputationMatching", "EnergyEscrow", "GreenCertificate"] as const) {
        for (const [signature, guard] of Object.entries(table[contract])) {
          if (guard === OPEN) continue;
          const fn = signature.slice(0, signature.indexOf("("));
          const row = ROWS.find((r) => r.contract === contract && r.fn === fn);
          expect(row, `${contract}.${signature} has no matrix row`).to.not.equal(undefined);
          expect(row!.role, `${contract}.${fn}`).to.equal(guard);
        }
      }
    });
  });
});
