import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { encodeBytes32String, ZeroAddress, id } from "ethers";
import type { IParticipantRegistry, ParticipantRegistry } from "../../typechain-types";

const Status = { None: 0, Pending: 1, Approved: 2, Rejected: 3, Suspended: 4, Delisted: 5 } as const;
const Source = { None: 0, Solar: 1, Wind: 2, Hydro: 3, Biomass: 4, Storage: 5, Fossil: 6 } as const;
const Eligibility = { Eligible: 0, NotApproved: 1, Suspended: 2, TooManyDefaults: 3 } as const;
const REGULATOR_ROLE = id("REGULATOR_ROLE");
const MARKET_ROLE = id("MARKET_ROLE");
const ADMIN_ROLE = ethers.ZeroHash;

function registration(overrides: Partial<IParticipantRegistry.RegistrationStruct> & { device: string; owner: string }) {
  const { device, owner, ...rest } = overrides;
  return {
    displayName: "Prosumer E",
    meterId: encodeBytes32String("MTR-E"),
    meterDevice: device,
    region: 1,
    voltageLevel: 1,
    source: Source.Solar,
    capacityW: 12_000n,
    batteryWh: 50_000n,
    settlementAccount: owner,
    ...rest,
  };
}

async function deployRegistry() {
  const [admin, regulator, market, alice, bob, carol, aliceMeter, bobMeter, carolMeter, newMeter, stranger] =
    await ethers.getSigners();
  const registry = await ethers.deployContract("ParticipantRegistry", [
    admin.address,
    regulator.address,
    2,
    [1, 2],
    ["North", "South"],
  ]);
  await registry.connect(admin).grantRole(MARKET_ROLE, market.address);
  return { registry, admin, regulator, market, alice, bob, carol, aliceMeter, bobMeter, carolMeter, newMeter, stranger };
}

/** Alice registered (Pending), Bob registered and approved. */
async function registeredFixture() {
  const f = await deployRegistry();
  const { registry, regulator, alice, bob, aliceMeter, bobMeter } = f;
  await registry.connect(alice).register(registration({ device: aliceMeter.address, owner: alice.address }));
  await registry
    .connect(bob)
    .register(
      registration({ device: bobMeter.address, owner: bob.address, meterId: encodeBytes32String("MTR-B"), displayName: "Bob" }),
    );
  await registry.connect(regulator).approve(bob.address);
  return f;
}

describe("ParticipantRegistry", () => {
  describe("deployment", () => {
    it("grants roles, sets the default limit and the regions", async () => {
      const { registry, admin, regulator } = await loadFixture(deployRegistry);
      expect(await registry.hasRole(ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await registry.hasRole(REGULATOR_ROLE, regulator.address)).to.equal(true);
      expect(await registry.maxDefaults()).to.equal(2);
      expect(await registry.regionIds()).to.deep.equal([1n, 2n]);
      expect(await registry.regionName(2)).to.equal("South");
    });

    it("rejects a zero admin or regulator and mismatched region lists", async () => {
      const [admin] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("ParticipantRegistry");
      await expect(ethers.deployContract("ParticipantRegistry", [ZeroAddress, admin.address, 1, [], []]))
        .to.be.revertedWithCustomError(factory, "RegistryInvalidAddress")
        .withArgs(ZeroAddress);
      await expect(ethers.deployContract("ParticipantRegistry", [admin.address, ZeroAddress, 1, [], []]))
        .to.be.revertedWithCustomError(factory, "RegistryInvalidAddress")
        .withArgs(ZeroAddress);
      await expect(ethers.deployContract("ParticipantRegistry", [admin.address, admin.address, 1, [1, 2], ["A"]]))
        .to.be.revertedWithCustomError(factory, "RegistryLengthMismatch")
        .withArgs(2, 1);
    });
  });

  describe("register", () => {
    it("stores the registration as Pending and emits events", async () => {
      const { registry, alice, aliceMeter } = await loadFixture(deployRegistry);
      const reg = registration({ device: aliceMeter.address, owner: alice.address });
      await expect(registry.connect(alice).register(reg))
        .to.emit(registry, "ParticipantRegistered")
        .withArgs(alice.address, reg.meterId, aliceMeter.address, 1)
        .and.to.emit(registry, "StatusChanged")
        .withArgs(alice.address, Status.None, Status.Pending, 0);
      const p = await registry.participant(alice.address);
      expect(p.status).to.equal(Status.Pending);
      expect(p.registration.displayName).to.equal("Prosumer E");
      expect(p.registration.capacityW).to.equal(12_000n);
      expect(p.registration.batteryWh).to.equal(50_000n);
      expect(await registry.meterDeviceOf(alice.address)).to.equal(aliceMeter.address);
      expect(await registry.settlementAccountOf(alice.address)).to.equal(alice.address);
      expect(await registry.regionOf(alice.address)).to.equal(1);
      expect(await registry.isGreen(alice.address)).to.equal(true);
      expect(await registry.participantCount()).to.equal(1);
    });

    const invalid: [string, (a: string, m: string) => object, string, unknown[]][] = [
      ["an empty name", (a, m) => registration({ device: m, owner: a, displayName: "" }), "RegistryInvalidName", [0]],
      ["a name over 64 bytes", (a, m) => registration({ device: m, owner: a, displayName: "x".repeat(65) }), "RegistryInvalidName", [65]],
      ["a zero meter id", (a, m) => registration({ device: m, owner: a, meterId: ethers.ZeroHash }), "RegistryInvalidMeterId", []],
      ["a zero meter device", (a) => registration({ device: ZeroAddress, owner: a }), "RegistryInvalidAddress", [ZeroAddress]],
      ["a zero settlement account", (_a, m) => registration({ device: m, owner: ZeroAddress }), "RegistryInvalidAddress", [ZeroAddress]],
      ["an unknown region", (a, m) => registration({ device: m, owner: a, region: 9 }), "RegistryUnknownRegion", [9]],
      ["voltage level 0", (a, m) => registration({ device: m, owner: a, voltageLevel: 0 }), "RegistryInvalidVoltageLevel", [0]],
      ["voltage level 4", (a, m) => registration({ device: m, owner: a, voltageLevel: 4 }), "RegistryInvalidVoltageLevel", [4]],
      ["zero capacity", (a, m) => registration({ device: m, owner: a, capacityW: 0 }), "RegistryZeroCapacity", []],
    ];
    for (const [what, build, error, args] of invalid) {
      it(`rejects ${what} with ${error} and stores nothing`, async () => {
        const { registry, alice, aliceMeter } = await loadFixture(deployRegistry);
        const call = registry.connect(alice).register(build(alice.address, aliceMeter.address) as never);
        if (args.length) await expect(call).to.be.revertedWithCustomError(registry, error).withArgs(...args);
        else await expect(call).to.be.revertedWithCustomError(registry, error);
        expect(await registry.statusOf(alice.address)).to.equal(Status.None);
        expect(await registry.participantCount()).to.equal(0);
      });
    }

    it("refuses a second registration while registered", async () => {
      const { registry, alice, aliceMeter } = await loadFixture(registeredFixture);
      await expect(registry.connect(alice).register(registration({ device: aliceMeter.address, owner: alice.address })))
        .to.be.revertedWithCustomError(registry, "RegistryAlreadyRegistered")
        .withArgs(alice.address, Status.Pending);
    });

    it("refuses a meter id or a meter device bound to someone else", async () => {
      const { registry, alice, carol, aliceMeter, bobMeter, carolMeter } = await loadFixture(registeredFixture);
      const takenId = registration({ device: carolMeter.address, owner: carol.address });
      await expect(registry.connect(carol).register(takenId))
        .to.be.revertedWithCustomError(registry, "RegistryMeterIdTaken")
        .withArgs(takenId.meterId, alice.address);
      const takenDevice = registration({ device: aliceMeter.address, owner: carol.address, meterId: encodeBytes32String("C") });
      await expect(registry.connect(carol).register(takenDevice))
        .to.be.revertedWithCustomError(registry, "RegistryMeterDeviceTaken")
        .withArgs(aliceMeter.address, alice.address);
      expect(bobMeter.address).to.not.equal(carolMeter.address);
    });

    it("lets a rejected applicant register again with a new meter, freeing the old one", async () => {
      const { registry, regulator, alice, carol, aliceMeter, carolMeter, newMeter } = await loadFixture(registeredFixture);
      await registry.connect(regulator).reject(alice.address, 12);
      const again = registration({ device: newMeter.address, owner: alice.address, meterId: encodeBytes32String("MTR-E2") });
      await expect(registry.connect(alice).register(again))
        .to.emit(registry, "StatusChanged")
        .withArgs(alice.address, Status.Rejected, Status.Pending, 0);
      expect(await registry.participantCount()).to.equal(2);
      expect((await registry.participant(alice.address)).reasonCode).to.equal(0);
      // the first meter id and device are free again
      await registry.connect(carol).register(registration({ device: aliceMeter.address, owner: carol.address }));
      expect(await registry.meterDeviceOf(carol.address)).to.equal(aliceMeter.address);
      expect(carolMeter.address).to.be.properAddress;
    });

    it("counts solar, wind, hydro and biomass as green, storage and fossil not", async () => {
      const { registry, regulator, carol, carolMeter } = await loadFixture(deployRegistry);
      const expected: [number, boolean][] = [
        [Source.Wind, true],
        [Source.Hydro, true],
        [Source.Biomass, true],
        [Source.Storage, false],
      ];
      for (const [source, green] of expected) {
        // a rejected applicant registers again with another source (SPEC: Rejected -> Pending)
        await registry.connect(carol).register(registration({ device: carolMeter.address, owner: carol.address, source }));
        expect(await registry.isGreen(carol.address)).to.equal(green, `source ${source}`);
        await registry.connect(regulator).reject(carol.address, 1);
      }
    });

    it("reports non-green sources as not green", async () => {
      const { registry, carol, carolMeter } = await loadFixture(deployRegistry);
      await registry.connect(carol).register(registration({ device: carolMeter.address, owner: carol.address, source: Source.Fossil }));
      expect(await registry.isGreen(carol.address)).to.equal(false);
    });
  });

  describe("qualification review", () => {
    it("walks every valid transition with its events", async () => {
      const { registry, regulator, alice } = await loadFixture(registeredFixture);
      const r = registry.connect(regulator);
      await expect(r.approve(alice.address)).to.emit(registry, "StatusChanged").withArgs(alice.address, Status.Pending, Status.Approved, 0);
      await expect(r.suspend(alice.address, 7)).to.emit(registry, "StatusChanged").withArgs(alice.address, Status.Approved, Status.Suspended, 7);
      expect((await registry.participant(alice.address)).reasonCode).to.equal(7);
      await expect(r.reinstate(alice.address)).to.emit(registry, "StatusChanged").withArgs(alice.address, Status.Suspended, Status.Approved, 0);
      await expect(r.delist(alice.address, 9)).to.emit(registry, "StatusChanged").withArgs(alice.address, Status.Approved, Status.Delisted, 9);
    });

    it("rejects with a reason code", async () => {
      const { registry, regulator, alice } = await loadFixture(registeredFixture);
      await expect(registry.connect(regulator).reject(alice.address, 42))
        .to.emit(registry, "StatusChanged")
        .withArgs(alice.address, Status.Pending, Status.Rejected, 42);
      expect(await registry.statusOf(alice.address)).to.equal(Status.Rejected);
    });

    // [action, status it is tried from, expected revert target status]
    const refused: [string, keyof typeof Status, number][] = [
      ["approve", "Approved", Status.Approved],
      ["approve", "Suspended", Status.Approved],
      ["approve", "Rejected", Status.Approved],
      ["reject", "Approved", Status.Rejected],
      ["suspend", "Pending", Status.Suspended],
      ["suspend", "Suspended", Status.Suspended],
      ["reinstate", "Pending", Status.Approved],
      ["reinstate", "Approved", Status.Approved],
      ["approve", "Delisted", Status.Approved],
      ["delist", "Delisted", Status.Delisted],
    ];
    async function bringTo(registry: ParticipantRegistry, regulator: { address: string }, account: string, target: keyof typeof Status) {
      const r = registry.connect(regulator as never);
      if (target === "Pending") return;
      if (target === "Rejected") return void (await r.reject(account, 1));
      if (target === "Delisted") return void (await r.delist(account, 1));
      await r.approve(account);
      if (target === "Suspended") await r.suspend(account, 1);
    }
    for (const [action, from, to] of refused) {
      it(`refuses ${action} from ${from} with RegistryInvalidTransition`, async () => {
        const { registry, regulator, alice } = await loadFixture(registeredFixture);
        await bringTo(registry, regulator, alice.address, from);
        const r = registry.connect(regulator) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const args = ["reject", "suspend", "delist"].includes(action) ? [alice.address, 1] : [alice.address];
        await expect(r[action](...args))
          .to.be.revertedWithCustomError(registry, "RegistryInvalidTransition")
          .withArgs(alice.address, Status[from], to);
        expect(await registry.statusOf(alice.address)).to.equal(Status[from]);
      });
    }

    it("refuses review actions on an unregistered account", async () => {
      const { registry, regulator, stranger } = await loadFixture(registeredFixture);
      // each call starts only when the previous one was checked: a rejection must never go unobserved
      for (const call of [
        () => registry.connect(regulator).approve(stranger.address),
        () => registry.connect(regulator).reject(stranger.address, 1),
        () => registry.connect(regulator).suspend(stranger.address, 1),
        () => registry.connect(regulator).reinstate(stranger.address),
        () => registry.connect(regulator).delist(stranger.address, 1),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(registry, "RegistryNotRegistered").withArgs(stranger.address);
      }
    });

    it("lets a participant delist itself but nobody else without the regulator role", async () => {
      const { registry, alice, bob } = await loadFixture(registeredFixture);
      await expect(registry.connect(bob).delist(alice.address, 0))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(bob.address, REGULATOR_ROLE);
      await expect(registry.connect(alice).delist(alice.address, 0))
        .to.emit(registry, "StatusChanged")
        .withArgs(alice.address, Status.Pending, Status.Delisted, 0);
    });

    it("refuses to delist while trades are open, and frees the meter after delisting", async () => {
      const { registry, regulator, market, bob, carol, bobMeter } = await loadFixture(registeredFixture);
      await registry.connect(market).recordTradeOpened(bob.address);
      await expect(registry.connect(regulator).delist(bob.address, 0))
        .to.be.revertedWithCustomError(registry, "RegistryOpenTrades")
        .withArgs(bob.address, 1);
      await registry.connect(market).recordTradeClosed(bob.address, 640_000, false);
      await registry.connect(regulator).delist(bob.address, 0);
      await expect(registry.connect(bob).register(registration({ device: bobMeter.address, owner: bob.address })))
        .to.be.revertedWithCustomError(registry, "RegistryAlreadyRegistered")
        .withArgs(bob.address, Status.Delisted);
      await registry.connect(carol).register(
        registration({ device: bobMeter.address, owner: carol.address, meterId: encodeBytes32String("MTR-B") }),
      );
      expect(await registry.meterDeviceOf(carol.address)).to.equal(bobMeter.address);
    });
  });

  describe("meter rotation", () => {
    it("is requested by the prosumer and approved by the regulator", async () => {
      const { registry, regulator, bob, bobMeter, newMeter, carol, carolMeter } = await loadFixture(registeredFixture);
      await expect(registry.connect(bob).requestMeterRotation(newMeter.address))
        .to.emit(registry, "MeterRotationRequested")
        .withArgs(bob.address, newMeter.address);
      expect((await registry.participant(bob.address)).pendingMeterDevice).to.equal(newMeter.address);
      await expect(registry.connect(regulator).approveMeterRotation(bob.address, newMeter.address))
        .to.emit(registry, "MeterRotated")
        .withArgs(bob.address, bobMeter.address, newMeter.address);
      expect(await registry.meterDeviceOf(bob.address)).to.equal(newMeter.address);
      expect((await registry.participant(bob.address)).pendingMeterDevice).to.equal(ZeroAddress);
      // the old device is free again
      await registry.connect(carol).register(
        registration({ device: bobMeter.address, owner: carol.address, meterId: encodeBytes32String("C") }),
      );
      expect(carolMeter.address).to.be.properAddress;
    });

    it("can be cancelled by the prosumer", async () => {
      const { registry, regulator, bob, newMeter } = await loadFixture(registeredFixture);
      await registry.connect(bob).requestMeterRotation(newMeter.address);
      await expect(registry.connect(bob).cancelMeterRotation())
        .to.emit(registry, "MeterRotationCancelled")
        .withArgs(bob.address, newMeter.address);
      await expect(registry.connect(regulator).approveMeterRotation(bob.address, newMeter.address))
        .to.be.revertedWithCustomError(registry, "RegistryNoPendingRotation")
        .withArgs(bob.address);
      await expect(registry.connect(bob).cancelMeterRotation())
        .to.be.revertedWithCustomError(registry, "RegistryNoPendingRotation")
        .withArgs(bob.address);
    });

    it("rejects bad requests and mismatched or blocked approvals", async () => {
      const { registry, regulator, market, alice, bob, bobMeter, aliceMeter, newMeter, stranger } =
        await loadFixture(registeredFixture);
      await expect(registry.connect(bob).requestMeterRotation(ZeroAddress))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidAddress")
        .withArgs(ZeroAddress);
      await expect(registry.connect(bob).requestMeterRotation(bobMeter.address))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidAddress")
        .withArgs(bobMeter.address);
      await expect(registry.connect(bob).requestMeterRotation(aliceMeter.address))
        .to.be.revertedWithCustomError(registry, "RegistryMeterDeviceTaken")
        .withArgs(aliceMeter.address, alice.address);
      await expect(registry.connect(stranger).requestMeterRotation(newMeter.address))
        .to.be.revertedWithCustomError(registry, "RegistryNotRegistered")
        .withArgs(stranger.address);

      await registry.connect(bob).requestMeterRotation(newMeter.address);
      await expect(registry.connect(regulator).approveMeterRotation(bob.address, stranger.address))
        .to.be.revertedWithCustomError(registry, "RegistryRotationMismatch")
        .withArgs(bob.address, newMeter.address, stranger.address);
      await registry.connect(market).recordTradeOpened(bob.address);
      await expect(registry.connect(regulator).approveMeterRotation(bob.address, newMeter.address))
        .to.be.revertedWithCustomError(registry, "RegistryOpenTrades")
        .withArgs(bob.address, 1);
      expect(await registry.meterDeviceOf(bob.address)).to.equal(bobMeter.address);
    });

    it("refuses an approval when another participant took the device meanwhile", async () => {
      const { registry, regulator, alice, bob, newMeter } = await loadFixture(registeredFixture);
      await registry.connect(bob).requestMeterRotation(newMeter.address);
      await registry.connect(regulator).reject(alice.address, 1);
      await registry
        .connect(alice)
        .register(registration({ device: newMeter.address, owner: alice.address, meterId: encodeBytes32String("E2") }));
      await expect(registry.connect(regulator).approveMeterRotation(bob.address, newMeter.address))
        .to.be.revertedWithCustomError(registry, "RegistryMeterDeviceTaken")
        .withArgs(newMeter.address, alice.address);
    });

    it("is closed to delisted participants", async () => {
      const { registry, bob, newMeter } = await loadFixture(registeredFixture);
      await registry.connect(bob).delist(bob.address, 0);
      await expect(registry.connect(bob).requestMeterRotation(newMeter.address))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidTransition")
        .withArgs(bob.address, Status.Delisted, Status.Delisted);
    });
  });

  describe("settlement account", () => {
    it("changes when no trade is open", async () => {
      const { registry, market, bob, carol } = await loadFixture(registeredFixture);
      await expect(registry.connect(bob).setSettlementAccount(carol.address))
        .to.emit(registry, "SettlementAccountChanged")
        .withArgs(bob.address, carol.address);
      expect(await registry.settlementAccountOf(bob.address)).to.equal(carol.address);
      await registry.connect(market).recordTradeOpened(bob.address);
      await expect(registry.connect(bob).setSettlementAccount(bob.address))
        .to.be.revertedWithCustomError(registry, "RegistryOpenTrades")
        .withArgs(bob.address, 1);
      await expect(registry.connect(bob).setSettlementAccount(ZeroAddress))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidAddress")
        .withArgs(ZeroAddress);
    });

    it("is refused to unregistered and delisted accounts", async () => {
      const { registry, bob, carol, stranger } = await loadFixture(registeredFixture);
      await expect(registry.connect(stranger).setSettlementAccount(carol.address))
        .to.be.revertedWithCustomError(registry, "RegistryNotRegistered")
        .withArgs(stranger.address);
      await registry.connect(bob).delist(bob.address, 0);
      await expect(registry.connect(bob).setSettlementAccount(carol.address))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidTransition")
        .withArgs(bob.address, Status.Delisted, Status.Delisted);
    });
  });

  describe("ledger and eligibility", () => {
    it("counts open and completed trades, defaults and the last price", async () => {
      const { registry, market, bob } = await loadFixture(registeredFixture);
      await expect(registry.connect(market).recordTradeOpened(bob.address)).to.emit(registry, "TradeOpened").withArgs(bob.address, 1);
      await registry.connect(market).recordTradeOpened(bob.address);
      await expect(registry.connect(market).recordTradeClosed(bob.address, 500_000, false))
        .to.emit(registry, "TradeClosed")
        .withArgs(bob.address, 500_000, false, 1);
      await registry.connect(market).recordTradeClosed(bob.address, 640_000, true);
      const p = await registry.participant(bob.address);
      expect([p.openTrades, p.completedTrades, p.defaults, p.lastPricePerKwh]).to.deep.equal([0n, 2n, 1n, 640_000n]);
      await expect(registry.connect(market).recordTradeClosed(bob.address, 1, false))
        .to.be.revertedWithCustomError(registry, "RegistryNoOpenTrade")
        .withArgs(bob.address);
    });

    it("refuses ledger updates for unregistered accounts", async () => {
      const { registry, market, stranger } = await loadFixture(registeredFixture);
      await expect(registry.connect(market).recordTradeOpened(stranger.address))
        .to.be.revertedWithCustomError(registry, "RegistryNotRegistered")
        .withArgs(stranger.address);
      await expect(registry.connect(market).recordTradeClosed(stranger.address, 1, false))
        .to.be.revertedWithCustomError(registry, "RegistryNotRegistered")
        .withArgs(stranger.address);
      await expect(registry.connect(market).setReputation(stranger.address, 1))
        .to.be.revertedWithCustomError(registry, "RegistryNotRegistered")
        .withArgs(stranger.address);
    });

    it("reports eligibility: approved, not suspended, defaults below the limit", async () => {
      const { registry, regulator, market, alice, bob, stranger } = await loadFixture(registeredFixture);
      expect(await registry.eligibility(stranger.address)).to.equal(Eligibility.NotApproved);
      expect(await registry.eligibility(alice.address)).to.equal(Eligibility.NotApproved);
      expect(await registry.eligibility(bob.address)).to.equal(Eligibility.Eligible);
      expect(await registry.isEligible(bob.address)).to.equal(true);
      await registry.requireEligible(bob.address);
      await expect(registry.requireEligible(alice.address))
        .to.be.revertedWithCustomError(registry, "RegistryNotEligible")
        .withArgs(alice.address, Eligibility.NotApproved);

      await registry.connect(regulator).suspend(bob.address, 1);
      expect(await registry.eligibility(bob.address)).to.equal(Eligibility.Suspended);
      await registry.connect(regulator).reinstate(bob.address);

      for (let i = 0; i < 2; i++) {
        await registry.connect(market).recordTradeOpened(bob.address);
        await registry.connect(market).recordTradeClosed(bob.address, 1, true);
      }
      expect(await registry.eligibility(bob.address)).to.equal(Eligibility.TooManyDefaults);
      await expect(registry.requireEligible(bob.address))
        .to.be.revertedWithCustomError(registry, "RegistryNotEligible")
        .withArgs(bob.address, Eligibility.TooManyDefaults);
      expect(await registry.isEligible(bob.address)).to.equal(false);
    });

    it("lets the operator raise the default limit", async () => {
      const { registry, admin, market, bob } = await loadFixture(registeredFixture);
      for (let i = 0; i < 2; i++) {
        await registry.connect(market).recordTradeOpened(bob.address);
        await registry.connect(market).recordTradeClosed(bob.address, 1, true);
      }
      await expect(registry.connect(admin).setMaxDefaults(5)).to.emit(registry, "MaxDefaultsSet").withArgs(5);
      expect(await registry.isEligible(bob.address)).to.equal(true);
    });

    it("stores reputation within [0, 1e18]", async () => {
      const { registry, market, bob } = await loadFixture(registeredFixture);
      await expect(registry.connect(market).setReputation(bob.address, 400_000_000_000_000_000n))
        .to.emit(registry, "ReputationUpdated")
        .withArgs(bob.address, 400_000_000_000_000_000n);
      expect((await registry.participant(bob.address)).reputationWad).to.equal(400_000_000_000_000_000n);
      await expect(registry.connect(market).setReputation(bob.address, 10n ** 18n + 1n))
        .to.be.revertedWithCustomError(registry, "RegistryReputationOutOfRange")
        .withArgs(10n ** 18n + 1n);
    });
  });

  describe("regions and listing", () => {
    it("adds regions and rejects duplicates, bad names and more than the maximum", async () => {
      const { registry, admin } = await loadFixture(deployRegistry);
      await expect(registry.connect(admin).addRegion(7, "Island")).to.emit(registry, "RegionAdded").withArgs(7, "Island");
      await expect(registry.connect(admin).addRegion(7, "Again"))
        .to.be.revertedWithCustomError(registry, "RegistryRegionExists")
        .withArgs(7);
      await expect(registry.connect(admin).addRegion(8, "")).to.be.revertedWithCustomError(registry, "RegistryInvalidName").withArgs(0);
      await expect(registry.connect(admin).addRegion(8, "x".repeat(65)))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidName")
        .withArgs(65);
      expect(await registry.regionIds()).to.not.include(8n);
    });

    it("caps the number of regions", async () => {
      const [admin] = await ethers.getSigners();
      const ids = Array.from({ length: 256 }, (_, i) => i + 1);
      const registry = await ethers.deployContract("ParticipantRegistry", [admin.address, admin.address, 1, ids, ids.map((i) => `Z${i}`)]);
      await expect(registry.addRegion(999, "Too many"))
        .to.be.revertedWithCustomError(registry, "RegistryTooManyRegions")
        .withArgs(256);
    });

    it("pages through participants and bounds the page size", async () => {
      const { registry, alice, bob } = await loadFixture(registeredFixture);
      expect(await registry.participantsPage(0, 10)).to.deep.equal([alice.address, bob.address]);
      expect(await registry.participantsPage(1, 1)).to.deep.equal([bob.address]);
      expect(await registry.participantsPage(2, 10)).to.deep.equal([]);
      await expect(registry.participantsPage(0, 101))
        .to.be.revertedWithCustomError(registry, "RegistryPageTooLarge")
        .withArgs(101, 100);
    });
  });

  describe("access control", () => {
    type Fixture = Awaited<ReturnType<typeof registeredFixture>>;
    // Every restricted function, the role it needs, the state that makes the call valid, and the call.
    const matrix: [string, string, (f: Fixture) => Promise<unknown>, (r: ParticipantRegistry, f: Fixture) => Promise<unknown>][] = [
      ["approve", REGULATOR_ROLE, async () => {}, (r, f) => r.approve(f.alice.address)],
      ["reject", REGULATOR_ROLE, async () => {}, (r, f) => r.reject(f.alice.address, 1)],
      ["suspend", REGULATOR_ROLE, async () => {}, (r, f) => r.suspend(f.bob.address, 1)],
      ["reinstate", REGULATOR_ROLE, (f) => f.registry.connect(f.regulator).suspend(f.bob.address, 1), (r, f) => r.reinstate(f.bob.address)],
      ["delist (someone else)", REGULATOR_ROLE, async () => {}, (r, f) => r.delist(f.bob.address, 1)],
      [
        "approveMeterRotation",
        REGULATOR_ROLE,
        (f) => f.registry.connect(f.bob).requestMeterRotation(f.newMeter.address),
        (r, f) => r.approveMeterRotation(f.bob.address, f.newMeter.address),
      ],
      ["addRegion", ADMIN_ROLE, async () => {}, (r) => r.addRegion(99, "X")],
      ["setMaxDefaults", ADMIN_ROLE, async () => {}, (r) => r.setMaxDefaults(9)],
      ["grantRole", ADMIN_ROLE, async () => {}, (r, f) => r.grantRole(MARKET_ROLE, f.stranger.address)],
      ["recordTradeOpened", MARKET_ROLE, async () => {}, (r, f) => r.recordTradeOpened(f.bob.address)],
      [
        "recordTradeClosed",
        MARKET_ROLE,
        (f) => f.registry.connect(f.market).recordTradeOpened(f.bob.address),
        (r, f) => r.recordTradeClosed(f.bob.address, 1, false),
      ],
      ["setReputation", MARKET_ROLE, async () => {}, (r, f) => r.setReputation(f.bob.address, 1)],
    ];
    const holder: Record<string, "admin" | "regulator" | "market"> = {
      [REGULATOR_ROLE]: "regulator",
      [ADMIN_ROLE]: "admin",
      [MARKET_ROLE]: "market",
    };
    for (const [fn, role, setup, call] of matrix) {
      for (const actor of ["admin", "regulator", "market", "stranger"] as const) {
        const allowed = holder[role] === actor;
        it(`${fn}: ${actor} is ${allowed ? "allowed" : "refused"}`, async () => {
          const f = await loadFixture(registeredFixture);
          await setup(f);
          const signer = f[actor];
          if (allowed) {
            await expect(call(f.registry.connect(signer), f)).to.not.be.reverted;
          } else {
            await expect(call(f.registry.connect(signer), f))
              .to.be.revertedWithCustomError(f.registry, "AccessControlUnauthorizedAccount")
              .withArgs(signer.address, role);
          }
        });
      }
    }
  });
});
