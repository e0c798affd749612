// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMarketEscrow} from "../interfaces/IMarketEscrow.sol";

/// @notice Test double of the escrow's market interface. It keeps per-account locks and the
/// part of them committed to trades, and refuses any unlock or trade the locks do not back, so a
/// market's accounting errors surface as reverts.
contract MockMarketEscrow is IMarketEscrow {
    error MockInsufficientLock(address account, uint256 available, uint256 needed);

    mapping(address account => uint256 amount) public locked;
    mapping(address account => uint256 amount) public committed;
    TradeTerms[] private _trades;

    function lock(address account, uint256 amount) external {
        locked[account] += amount;
    }

    function unlock(address account, uint256 amount) external {
        _require(account, amount);
        locked[account] -= amount;
    }

    function createTrade(TradeTerms calldata terms) external returns (uint256 tradeId) {
        _require(terms.buyer, terms.prepayment + terms.buyerMargin);
        _require(terms.seller, terms.sellerMargin);
        committed[terms.buyer] += terms.prepayment + terms.buyerMargin;
        committed[terms.seller] += terms.sellerMargin;
        _trades.push(terms);
        return _trades.length;
    }

    function tradeCount() external view returns (uint256) {
        return _trades.length;
    }

    function trade(uint256 tradeId) external view returns (TradeTerms memory) {
        return _trades[tradeId - 1];
    }

    function _require(address account, uint256 amount) private view {
        uint256 available = locked[account] - committed[account];
        if (available < amount) revert MockInsufficientLock(account, available, amount);
    }
}
