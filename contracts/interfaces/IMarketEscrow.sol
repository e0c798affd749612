// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IMarketEscrow
/// @notice The part of the escrow that market contracts (MARKET_ROLE) use: locks for margins and
/// prepayments, and the creation of bilateral trades that the escrow then settles.
interface IMarketEscrow {
    /// @notice What a market agreed for one bilateral trade.
    /// @param period auction period or matching cycle; also the vintage of its green certificates
    /// @param energyWh agreed energy R, denominated in Wh
    /// @param pricePerKwh agreed price r, denominated in token base units per kWh
    /// @param prepayment buyer funds (already locked by the market) held for this trade; at least
    ///        what the seller can be paid, costDown(energyWh, pricePerKwh)
    /// @param sellerMargin / buyerMargin margins (already locked by the market) held for this trade
    struct TradeTerms {
        address seller;
        address buyer;
        uint64 period;
        uint64 energyWh;
        uint128 pricePerKwh;
        uint64 deliveryStart;
        uint64 deliveryEnd;
        uint64 settlementDeadline;
        uint256 prepayment;
        uint256 sellerMargin;
        uint256 buyerMargin;
    }

    /// @notice Moves `amount` of `account`'s free balance into a lock held by the calling market.
    /// @param account whose free balance is locked
    /// @param amount the amount, in token base units
    function lock(address account, uint256 amount) external;

    /// @notice Returns `amount` from the calling market's lock to `account`'s free balance.
    /// @param account whose free balance is credited
    /// @param amount the amount, in token base units
    function unlock(address account, uint256 amount) external;

    /// @notice Records a trade backed by funds the calling market holds locked for both parties.
    /// @param terms what the market agreed
    /// @return tradeId the new trade's id
    function createTrade(TradeTerms calldata terms) external returns (uint256 tradeId);
}
