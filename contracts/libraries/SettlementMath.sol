// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SettlementMath
/// @notice The pure formulas of SPEC section 6 (papers B and D). Twin: src/core/settlement.ts.
/// @dev Units: energy in Wh, prices in token base units per kWh, amounts in token base units, ratios as WAD.
///      Every division states its rounding direction and why. Nothing here touches storage.
library SettlementMath {
    uint256 internal constant WH_PER_KWH = 1000;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant WAD = 1e18;

    // Only ever held in memory, where every field takes a full word whatever the order.
    // solhint-disable gas-struct-packing
    /// @notice Everything settlement needs to know about one trade.
    /// @param agreedWh R; > 0 (createTrade refuses 0)
    /// @param providerReported false when the provider meter stayed silent up to the deadline
    /// @param userReported false when the user meter stayed silent up to the deadline
    struct Input {
        uint256 agreedWh;
        uint256 pricePerKwh;
        uint256 lossToleranceBps;
        uint256 reward;
        uint256 prepayment;
        uint256 sellerMargin;
        uint256 buyerMargin;
        bool providerReported;
        uint256 providerWh;
        bool userReported;
        uint256 userWh;
    }
    // solhint-enable gas-struct-packing

    /// @notice What settlement does. sellerCredit + buyerCredit == prepayment + sellerMargin + buyerMargin.
    /// @param rhoWh provider energy as settled; gammaWh user energy as settled
    /// @param sellerCredit payment plus the margins the seller receives (its own, and the buyer's on a buyer default)
    /// @param buyerCredit refund plus the margins the buyer receives
    /// @param rewardDue honesty reward owed to the provider (paid from the pool as far as it reaches)
    /// @param deliveredWh min(rho, gamma, R): the energy of this trade both meters agree was delivered
    struct Outcome {
        uint256 rhoWh;
        uint256 gammaWh;
        bool providerDefaulted;
        bool userDefaulted;
        uint256 sellerPayment;
        uint256 buyerRefund;
        uint256 sellerCredit;
        uint256 buyerCredit;
        uint256 rewardDue;
        uint256 deliveredWh;
        uint256 ratioWad;
    }

    /// @notice What a buyer must prepay for `energyWh` at `pricePerKwh`.
    /// @dev Rounded UP: the escrow must never hold less than it may have to pay the seller.
    /// @param energyWh energy, denominated in Wh
    /// @param pricePerKwh price, in token base units per kWh
    function costUp(uint256 energyWh, uint256 pricePerKwh) internal pure returns (uint256) {
        return Math.mulDiv(energyWh, pricePerKwh, WH_PER_KWH, Math.Rounding.Ceil);
    }

    /// @notice What a seller is paid for `energyWh` at `pricePerKwh`.
    /// @dev Rounded DOWN: the escrow never pays out more than the prepayment it holds (costDown <= costUp).
    /// @param energyWh energy, denominated in Wh
    /// @param pricePerKwh price, in token base units per kWh
    function costDown(uint256 energyWh, uint256 pricePerKwh) internal pure returns (uint256) {
        return Math.mulDiv(energyWh, pricePerKwh, WH_PER_KWH, Math.Rounding.Floor);
    }

    /// @notice tau = R * bps / 10000, the transmission loss that still earns half the reward.
    /// @dev Rounded DOWN: a smaller tolerance never grants a reward the operator did not intend.
    /// @param agreedWh R, denominated in Wh
    /// @param lossToleranceBps the tolerance, in basis points
    function lossToleranceWh(uint256 agreedWh, uint256 lossToleranceBps) internal pure returns (uint256) {
        return Math.mulDiv(agreedWh, lossToleranceBps, BPS, Math.Rounding.Floor);
    }

    /// @notice Silent meters at the deadline: a silent provider counts as rho = 0, a silent user as gamma = rho.
    /// @param providerReported whether the provider meter reported
    /// @param providerWh its latest reading, denominated in Wh
    /// @param userReported whether the user meter reported
    /// @param userWh its latest reading, denominated in Wh
    /// @return rhoWh rho as settled
    /// @return gammaWh gamma as settled
    function effectiveReadings(bool providerReported, uint256 providerWh, bool userReported, uint256 userWh)
        internal
        pure
        returns (uint256 rhoWh, uint256 gammaWh)
    {
        rhoWh = providerReported ? providerWh : 0;
        gammaWh = userReported ? userWh : rhoWh;
    }

    /// @notice The provider's payment: costDown(R, r) when rho >= R, else cut by r * (R - gamma), i.e.
    /// costDown(min(gamma, R), r). The cut stays with the user (it is part of the refund).
    /// @param agreedWh R, denominated in Wh
    /// @param pricePerKwh r, in token base units per kWh
    /// @param rhoWh rho, denominated in Wh
    /// @param gammaWh gamma, denominated in Wh
    function providerPayment(uint256 agreedWh, uint256 pricePerKwh, uint256 rhoWh, uint256 gammaWh)
        internal
        pure
        returns (uint256)
    {
        uint256 paidWh = rhoWh >= agreedWh ? agreedWh : Math.min(gammaWh, agreedWh);
        return costDown(paidWh, pricePerKwh);
    }

    /// @notice Honesty reward: Token if gamma >= R; Token/2 if rho >= R and gamma >= R - tau; else 0.
    /// A provider whose meter stayed silent earns nothing (it did not perform).
    /// @dev Token/2 rounds DOWN: the reward pool never pays more than the operator set.
    /// @param agreedWh R, denominated in Wh
    /// @param toleranceWh tau, denominated in Wh
    /// @param rhoWh rho, denominated in Wh
    /// @param gammaWh gamma, denominated in Wh
    /// @param reward Token, the full reward in token base units
    /// @param providerDefaulted whether the provider meter stayed silent
    function honestyReward(
        uint256 agreedWh,
        uint256 toleranceWh,
        uint256 rhoWh,
        uint256 gammaWh,
        uint256 reward,
        bool providerDefaulted
    ) internal pure returns (uint256) {
        if (providerDefaulted) return 0;
        if (gammaWh >= agreedWh) return reward;
        // gamma >= R - tau, written as gamma + tau >= R so that no subtraction can underflow.
        if (rhoWh >= agreedWh && gammaWh + toleranceWh >= agreedWh) return reward / 2;
        return 0;
    }

    /// @notice v = min(delivered, R) / R as a WAD.
    /// @dev Rounded DOWN: reputation is never overstated.
    /// @param deliveredWh energy delivered, denominated in Wh
    /// @param agreedWh R, denominated in Wh (> 0)
    function deliveryRatioWad(uint256 deliveredWh, uint256 agreedWh) internal pure returns (uint256) {
        return Math.mulDiv(Math.min(deliveredWh, agreedWh), WAD, agreedWh, Math.Rounding.Floor);
    }

    /// @notice The whole settlement of one trade, conserving prepayment and margins exactly.
    /// @param input the trade and its readings
    /// @return out payments, refunds, forfeits and reward
    function settle(Input memory input) internal pure returns (Outcome memory out) {
        (out.rhoWh, out.gammaWh) = effectiveReadings(
            input.providerReported,
            input.providerWh,
            input.userReported,
            input.userWh
        );
        out.providerDefaulted = !input.providerReported;
        out.userDefaulted = !input.userReported;

        out.sellerPayment = providerPayment(input.agreedWh, input.pricePerKwh, out.rhoWh, out.gammaWh);
        // sellerPayment <= costDown(R, r) <= costUp(R, r) == prepayment, so the refund cannot underflow; computing
        // it as the difference makes payment + refund == prepayment exact by construction.
        out.buyerRefund = input.prepayment - out.sellerPayment;

        // Margins: a party that defaulted alone compensates its counterparty with its whole margin. When both
        // defaulted (or neither), each margin returns to its owner: nobody harmed the other more than it was harmed.
        bool sellerForfeits = out.providerDefaulted && !out.userDefaulted;
        bool buyerForfeits = out.userDefaulted && !out.providerDefaulted;
        out.sellerCredit =
            out.sellerPayment +
            (sellerForfeits ? 0 : input.sellerMargin) +
            (buyerForfeits ? input.buyerMargin : 0);
        out.buyerCredit =
            out.buyerRefund +
            (buyerForfeits ? 0 : input.buyerMargin) +
            (sellerForfeits ? input.sellerMargin : 0);

        out.rewardDue = honestyReward(
            input.agreedWh,
            lossToleranceWh(input.agreedWh, input.lossToleranceBps),
            out.rhoWh,
            out.gammaWh,
            input.reward,
            out.providerDefaulted
        );
        out.deliveredWh = Math.min(Math.min(out.rhoWh, out.gammaWh), input.agreedWh);
        out.ratioWad = deliveryRatioWad(out.deliveredWh, input.agreedWh);
    }
}
