// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IEnergyEscrow} from "../interfaces/IEnergyEscrow.sol";

/// @notice Test helper: reads the escrow's books in one call, for the property tests' invariant checks.
contract EscrowInspector {
    struct Report {
        uint256 tokenBalance;
        uint256 totalFree;
        uint256 totalLocked;
        uint256 rewardPool;
        /// @dev Sums over `accounts`; equal to the totals when every account holding funds is listed.
        uint256 sumFree;
        uint256 sumLocked;
        /// @dev Accounts whose locked balance differs from its locks by `markets` plus what open trades hold.
        uint256 lockMismatches;
        uint256 openTrades;
        /// @dev Hash of every balance read, the totals and the trade statuses: unchanged iff nothing moved.
        bytes32 fingerprint;
    }

    /// @dev Bounds: tradeCount x accounts + accounts x markets reads; test sizes only.
    function inspect(IEnergyEscrow escrow, IERC20 token, address[] calldata accounts, address[] calldata markets)
        external
        view
        returns (Report memory r)
    {
        r.tokenBalance = token.balanceOf(address(escrow));
        r.totalFree = escrow.totalFree();
        r.totalLocked = escrow.totalLocked();
        r.rewardPool = escrow.rewardPool();
        (uint256[] memory held, uint256 openTrades, bytes32 statuses) = _heldByOpenTrades(escrow, accounts);
        r.openTrades = openTrades;
        bytes memory balances;
        for (uint256 i = 0; i < accounts.length; ++i) {
            (uint256 free, uint256 locked, uint256 byMarkets) = _balance(escrow, accounts[i], markets);
            if (locked != byMarkets + held[i]) ++r.lockMismatches;
            r.sumFree += free;
            r.sumLocked += locked;
            balances = abi.encodePacked(balances, free, locked, byMarkets);
        }
        r.fingerprint = keccak256(
            abi.encodePacked(balances, statuses, r.tokenBalance, r.totalFree, r.totalLocked, r.rewardPool)
        );
    }

    function _heldByOpenTrades(IEnergyEscrow escrow, address[] calldata accounts)
        private
        view
        returns (uint256[] memory held, uint256 openTrades, bytes32 statuses)
    {
        held = new uint256[](accounts.length);
        uint256 count = escrow.tradeCount();
        bytes memory packed;
        for (uint256 id = 1; id <= count; ++id) {
            IEnergyEscrow.Trade memory t = escrow.trade(id);
            packed = abi.encodePacked(packed, uint8(t.status));
            if (t.status != IEnergyEscrow.TradeStatus.Open) continue;
            ++openTrades;
            for (uint256 i = 0; i < accounts.length; ++i) {
                if (accounts[i] == t.seller) held[i] += t.sellerMargin;
                if (accounts[i] == t.buyer) held[i] += uint256(t.buyerMargin) + t.prepayment;
            }
        }
        statuses = keccak256(packed);
    }

    function _balance(IEnergyEscrow escrow, address account, address[] calldata markets)
        private
        view
        returns (uint256 free, uint256 locked, uint256 byMarkets)
    {
        free = escrow.freeBalanceOf(account);
        locked = escrow.lockedBalanceOf(account);
        for (uint256 m = 0; m < markets.length; ++m) byMarkets += escrow.lockedBy(markets[m], account);
    }
}
