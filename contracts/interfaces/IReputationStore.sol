// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IReputationStore
/// @notice Receives the delivery ratio of every settled trade (paper B: v = delivered / agreed), from which a
/// reputation module computes current and comprehensive reputation per trading cycle.
/// @dev The escrow calls it with a gas cap inside try/catch: a failing store never blocks settlement.
interface IReputationStore {
    /// @notice Records the delivery ratio of one settled trade (the escrow only).
    /// @param tradeId the escrow's trade id
    /// @param market the market contract that created the trade
    /// @param period the auction period or matching cycle of the trade
    /// @param provider the seller whose delivery was measured
    /// @param ratioWad min(rho, gamma, agreed) / agreed as a WAD (1e18 = 1.0), rounded down
    function recordDelivery(uint256 tradeId, address market, uint64 period, address provider, uint256 ratioWad)
        external;
}
