import { expect } from "chai";
import {
  costDown,
  costUp,
  deliveryRatioWad,
  honestyReward,
  lossToleranceWh,
  previewSettlement,
  providerPayment,
  settleTrade,
  tradePhase,
  WAD,
  type SettlementInput,
} from "../../src/core/settlement";

/** The standard trade of the contract tests: 10 kWh at 0.64 gEUR/kWh, tau 5 %, Token 1 gEUR. */
const base: SettlementInput = {
  agreedWh: 10_000n,
  pricePerKwh: 640_000n,
  lossToleranceBps: 500n,
  reward: 1_000_000n,
  prepayment: costUp(10_000n, 640_000n),
  sellerMargin: 2_000_000n,
  buyerMargin: 1_000_000n,
  providerWh: 10_000n,
  userWh: 10_000n,
};

function conserved(input: SettlementInput) {
  const o = settleTrade(input);
  expect(o.sellerPayment + o.buyerRefund).to.equal(input.prepayment);
  expect(o.sellerCredit + o.buyerCredit).to.equal(input.prepayment + input.sellerMargin + input.buyerMargin);
  return o;
}

describe("core/settlement (twin of SettlementMath)", () => {
  describe("rounding", () => {
    it("rounds a buyer's cost up and a seller's payment down", () => {
      // 1234 Wh at 777 units/kWh = 958.818 units
      expect(costUp(1234n, 777n)).to.equal(959n);
      expect(costDown(1234n, 777n)).to.equal(958n);
      expect(costUp(10_000n, 640_000n)).to.equal(6_400_000n);
      expect(costDown(10_000n, 640_000n)).to.equal(6_400_000n);
      expect(costUp(0n, 5n)).to.equal(0n);
    });

    it("rounds tau down", () => {
      expect(lossToleranceWh(10_000n, 500n)).to.equal(500n);
      expect(lossToleranceWh(999n, 500n)).to.equal(49n); // 49.95
      expect(lossToleranceWh(10_000n, 0n)).to.equal(0n);
    });

    it("rounds the delivery ratio down and caps it at 1.0", () => {
      expect(deliveryRatioWad(1n, 3n)).to.equal(333_333_333_333_333_333n);
      expect(deliveryRatioWad(3n, 3n)).to.equal(WAD);
      expect(deliveryRatioWad(5n, 3n)).to.equal(WAD);
      expect(deliveryRatioWad(0n, 3n)).to.equal(0n);
    });
  });

  describe("payment and reward formulas", () => {
    it("pays R in full whenever rho >= R, whatever gamma", () => {
      expect(providerPayment(10_000n, 640_000n, 10_000n, 0n)).to.equal(6_400_000n);
      expect(providerPayment(10_000n, 640_000n, 12_000n, 9_000n)).to.equal(6_400_000n);
    });

    it("cuts the payment by r * (R - gamma) when rho < R", () => {
      expect(providerPayment(10_000n, 640_000n, 7_000n, 6_900n)).to.equal(costDown(6_900n, 640_000n));
      expect(providerPayment(10_000n, 640_000n, 7_000n, 12_000n)).to.equal(6_400_000n); // no cut beyond R
    });

    it("grants Token, Token/2 or nothing", () => {
      const R = 10_000n;
      expect(honestyReward(R, 500n, R, R, 1_000_001n, false)).to.equal(1_000_001n);
      expect(honestyReward(R, 500n, R, R - 500n, 1_000_001n, false)).to.equal(500_000n); // floor(Token / 2)
      expect(honestyReward(R, 500n, R, R - 501n, 1_000_001n, false)).to.equal(0n);
      expect(honestyReward(R, 500n, R - 1n, R - 1n, 1_000_001n, false)).to.equal(0n);
      expect(honestyReward(R, 500n, 0n, R, 1_000_001n, true)).to.equal(0n); // a silent provider earns nothing
    });
  });

  describe("the paths of SPEC section 6", () => {
    it("honest delivery: full payment, full reward, margins back", () => {
      const o = conserved(base);
      expect(o).to.deep.include({
        sellerPayment: 6_400_000n,
        buyerRefund: 0n,
        sellerCredit: 8_400_000n,
        buyerCredit: 1_000_000n,
        rewardDue: 1_000_000n,
        deliveredWh: 10_000n,
        ratioWad: WAD,
        providerDefaulted: false,
        userDefaulted: false,
      });
    });

    it("loss within tau: full payment, half reward", () => {
      const o = conserved({ ...base, userWh: 9_600n });
      expect(o.sellerPayment).to.equal(6_400_000n);
      expect(o.rewardDue).to.equal(500_000n);
      expect(o.ratioWad).to.equal((9_600n * WAD) / 10_000n);
    });

    it("loss beyond tau: full payment, no reward", () => {
      const o = conserved({ ...base, userWh: 9_400n });
      expect(o.sellerPayment).to.equal(6_400_000n);
      expect(o.rewardDue).to.equal(0n);
    });

    it("under-delivery: payment cut to gamma, the cut refunded", () => {
      const o = conserved({ ...base, providerWh: 7_000n, userWh: 6_900n });
      expect(o.sellerPayment).to.equal(4_416_000n);
      expect(o.buyerRefund).to.equal(1_984_000n);
      expect(o.rewardDue).to.equal(0n);
      expect(o.deliveredWh).to.equal(6_900n);
    });

    it("silent provider: rho = 0, its margin compensates the buyer", () => {
      const o = conserved({ ...base, providerWh: null, userWh: 4_000n });
      expect(o).to.deep.include({ rhoWh: 0n, gammaWh: 4_000n, providerDefaulted: true, userDefaulted: false });
      expect(o.sellerPayment).to.equal(2_560_000n);
      expect(o.buyerRefund).to.equal(3_840_000n);
      expect(o.sellerCredit).to.equal(2_560_000n);
      expect(o.buyerCredit).to.equal(3_840_000n + 1_000_000n + 2_000_000n);
      expect(o.rewardDue).to.equal(0n);
      expect(o.deliveredWh).to.equal(0n);
    });

    it("silent user: gamma = rho, its margin compensates the seller", () => {
      const o = conserved({ ...base, providerWh: 10_000n, userWh: null });
      expect(o).to.deep.include({ rhoWh: 10_000n, gammaWh: 10_000n, providerDefaulted: false, userDefaulted: true });
      expect(o.sellerCredit).to.equal(6_400_000n + 2_000_000n + 1_000_000n);
      expect(o.buyerCredit).to.equal(0n);
      expect(o.rewardDue).to.equal(1_000_000n);
    });

    it("both silent: nothing paid, everything returns to its owner, both default", () => {
      const o = conserved({ ...base, providerWh: null, userWh: null });
      expect(o).to.deep.include({
        providerDefaulted: true,
        userDefaulted: true,
        sellerPayment: 0n,
        buyerRefund: 6_400_000n,
        sellerCredit: 2_000_000n,
        buyerCredit: 7_400_000n,
        rewardDue: 0n,
      });
    });

    it("rounding dust of the prepayment returns to the buyer", () => {
      const prepayment = costUp(1234n, 777n);
      const o = conserved({
        ...base,
        agreedWh: 1234n,
        pricePerKwh: 777n,
        prepayment,
        providerWh: 1234n,
        userWh: 1234n,
      });
      expect(o.sellerPayment).to.equal(958n);
      expect(o.buyerRefund).to.equal(1n);
    });

    it("refuses a zero agreed energy", () => {
      expect(() => settleTrade({ ...base, agreedWh: 0n })).to.throw(RangeError);
    });
  });

  describe("trade phases", () => {
    const t = { status: "Open" as const, deliveryStart: 100n, deliveryEnd: 200n, settlementDeadline: 300n };
    it("follows the clock and the readings", () => {
      expect(tradePhase(t, false, 50n)).to.equal("before-delivery");
      expect(tradePhase(t, true, 150n)).to.equal("delivering");
      expect(tradePhase(t, false, 250n)).to.equal("awaiting-readings");
      expect(tradePhase(t, true, 250n)).to.equal("settleable");
      expect(tradePhase(t, false, 300n)).to.equal("due");
      expect(tradePhase({ ...t, status: "Settled" }, true, 300n)).to.equal("settled");
      expect(tradePhase({ ...t, status: "None" }, true, 300n)).to.equal("unknown");
    });
  });

  it("previews a trade record with its readings", () => {
    const trade = {
      id: 1n,
      status: "Open" as const,
      market: "0x",
      seller: "0x",
      buyer: "0x",
      period: 1n,
      energyWh: base.agreedWh,
      pricePerKwh: base.pricePerKwh,
      deliveryStart: 0n,
      deliveryEnd: 1n,
      settlementDeadline: 2n,
      sellerMargin: base.sellerMargin,
      buyerMargin: base.buyerMargin,
      prepayment: base.prepayment,
      lossToleranceBps: base.lossToleranceBps,
      reward: base.reward,
    };
    const o = previewSettlement(trade, { energyWh: 10_000n, sequence: 1n, submittedAt: 0n }, null);
    expect(o.userDefaulted).to.equal(true);
    expect(o.gammaWh).to.equal(10_000n);
  });
});
