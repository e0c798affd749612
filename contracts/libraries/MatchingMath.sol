// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title MatchingMath
/// @notice Paper B's pair arithmetic (SPEC section 4), twin of src/core/matching/degree.ts: the
/// grid-crossing fee, the revenue zeta and the matching degree M, all in integers.
/// @dev Money is in token base units (micro currency units, the token has 6 decimals), energy in Wh,
///      prices and fees in token base units per kWh, reputation in micro units (1e6 = 1.0).
library MatchingMath {
    uint256 internal constant WH_PER_KWH = 1000;

    /// @notice The higher of two voltage levels: energy climbs to it, so its fees apply.
    /// @param a one voltage level
    /// @param b the other
    function higherLevel(uint8 a, uint8 b) internal pure returns (uint8) {
        return a > b ? a : b;
    }

    /// @notice Fee per kWh for moving energy across `distance`: base + perDistance * distance.
    /// @param baseFeePerKwh base fee, in token base units per kWh
    /// @param distanceFeePerKwh fee per distance unit, in token base units per kWh
    /// @param distance the distance, in distance units
    function feePerKwh(uint256 baseFeePerKwh, uint256 distanceFeePerKwh, uint256 distance) internal pure returns (uint256) {
        return baseFeePerKwh + distanceFeePerKwh * distance;
    }

    /// @notice zeta = floor(R * r / 1000) - ceil(R * fee / 1000), in token base units; may be negative.
    /// @dev Income rounded down and fee rounded up: a pair is never made to look better than it is.
    /// @param energyWh R, denominated in Wh
    /// @param pricePerKwh r, in token base units per kWh
    /// @param feePerKwh_ the pair's fee, in token base units per kWh
    function revenue(uint256 energyWh, uint256 pricePerKwh, uint256 feePerKwh_) internal pure returns (int256) {
        uint256 income = Math.mulDiv(energyWh, pricePerKwh, WH_PER_KWH);
        uint256 fee = Math.mulDiv(energyWh, feePerKwh_, WH_PER_KWH, Math.Rounding.Ceil);
        return SafeCast.toInt256(income) - SafeCast.toInt256(fee);
    }

    /// @notice Matching degree M = floor(zeta * rc / (zeta + rc)), 0 when both are 0.
    /// @dev zeta in token base units (micro currency units) and rc in micro units, so M is in micro
    ///      units of paper B's M (whole currency units and plain RC). M <= min(zeta, rc) <= 1e6.
    ///      Rounded down: the same integer on chain and off chain, never in a pair's favour.
    /// @param zeta the pair's revenue, in token base units (>= 0)
    /// @param rcMicro the provider's reputation, in micro units
    function degree(uint256 zeta, uint256 rcMicro) internal pure returns (uint256) {
        if (zeta == 0 && rcMicro == 0) return 0;
        return Math.mulDiv(zeta, rcMicro, zeta + rcMicro);
    }

    /// @notice What a buyer must hold for energyWh at pricePerKwh, rounded up: the escrow must never
    /// hold less than the buyer may owe.
    /// @param energyWh energy, denominated in Wh
    /// @param pricePerKwh price, in token base units per kWh
    function costUp(uint256 energyWh, uint256 pricePerKwh) internal pure returns (uint256) {
        return Math.mulDiv(energyWh, pricePerKwh, WH_PER_KWH, Math.Rounding.Ceil);
    }

    /// @notice floor(amount * part / whole); differences of it over cumulative parts sum exactly to
    /// `amount` once part reaches whole (the pieces telescope).
    /// @param amount the whole amount
    /// @param part the cumulative part
    /// @param whole the whole (> 0)
    function share(uint256 amount, uint256 part, uint256 whole) internal pure returns (uint256) {
        return Math.mulDiv(amount, part, whole);
    }
}
