// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDoubleAuction} from "../interfaces/IDoubleAuction.sol";

/// @title AuctionClearing
/// @notice The uniform-price clearing of SPEC section 3, twin of src/core/auction/clearing.ts.
/// Every branch here is a branch there; keep them in step.
/// @dev The merit order is supplied by the caller (a solver, or the on-chain sort for small books)
///      and verified in one O(n) pass: a permutation of the side's active orders, strictly
///      increasing under the side's comparator. Strictness makes the accepted order unique (order
///      indices break every tie), so the result never depends on who computed it.
library AuctionClearing {

    /// @notice Sellers rank by lower ask, then lower first quote (reservation), then earlier order.
    function sellerRanksBefore(
        IDoubleAuction.Order memory a,
        uint256 aIndex,
        IDoubleAuction.Order memory b,
        uint256 bIndex
    ) internal pure returns (bool) {
        if (a.quote != b.quote) return a.quote < b.quote;
        if (a.firstQuote != b.firstQuote) return a.firstQuote < b.firstQuote;
        return aIndex < bIndex;
    }

    /// @notice Buyers rank by higher bid, then higher first quote (reservation), then earlier order.
    function buyerRanksBefore(
        IDoubleAuction.Order memory a,
        uint256 aIndex,
        IDoubleAuction.Order memory b,
        uint256 bIndex
    ) internal pure returns (bool) {
        if (a.quote != b.quote) return a.quote > b.quote;
        if (a.firstQuote != b.firstQuote) return a.firstQuote > b.firstQuote;
        return aIndex < bIndex;
    }

    function ranksBefore(
        IDoubleAuction.Side side,
        IDoubleAuction.Order memory a,
        uint256 aIndex,
        IDoubleAuction.Order memory b,
        uint256 bIndex
    ) internal pure returns (bool) {
        return side == IDoubleAuction.Side.Seller
            ? sellerRanksBefore(a, aIndex, b, bIndex)
            : buyerRanksBefore(a, aIndex, b, bIndex);
    }

    /// @notice Verifies `meritOrder` for `side` and returns the side's total energy in Wh.
    /// @dev One pass, O(n) in meritOrder.length == expected (<= the period's order cap). The seen
    ///      set is a memory bitmap of orders.length bits.
    function verify(
        IDoubleAuction.Order[] storage orders,
        uint32[] memory meritOrder,
        IDoubleAuction.Side side,
        uint256 expected
    ) internal view returns (uint256 totalWh) {
        if (meritOrder.length != expected) {
            revert IDoubleAuction.AuctionMeritOrderLength(side, meritOrder.length, expected);
        }
        uint256 total = orders.length;
        uint256[] memory seen = new uint256[]((total >> 8) + 1);
        IDoubleAuction.Order memory previous;
        uint256 previousIndex;
        for (uint256 k = 0; k < meritOrder.length; ++k) {
            uint256 index = meritOrder[k];
            if (index >= total) revert IDoubleAuction.AuctionMeritOrderIndex(side, k, index);
            IDoubleAuction.Order memory order = orders[index];
            if (order.side != side || order.cancelled) revert IDoubleAuction.AuctionMeritOrderIndex(side, k, index);
            uint256 bit = 1 << (index & 0xff);
            if (seen[index >> 8] & bit != 0) revert IDoubleAuction.AuctionMeritOrderDuplicate(side, k, index);
            seen[index >> 8] |= bit;
            if (k > 0 && !ranksBefore(side, previous, previousIndex, order, index)) {
                revert IDoubleAuction.AuctionMeritOrderNotSorted(side, k);
            }
            totalWh += order.energyWh;
            previous = order;
            previousIndex = index;
        }
    }

    /// @notice Clears verified merit orders (SPEC section 3).
    /// @dev Buyer's market: sellers fill demand in merit order; m is the last seller with a quota;
    ///      the price is m's ask if m has energy left, else the ask of m+1 (which exists because
    ///      supply > demand). Seller's market mirrors it with bids. Balanced: everyone in full at
    ///      the last seller's ask. One side empty: nothing trades. Loop bound: the long side's length.
    function clear(
        IDoubleAuction.Order[] storage orders,
        uint32[] memory sellers,
        uint32[] memory buyers,
        uint256 supplyWh,
        uint256 demandWh
    ) internal view returns (IDoubleAuction.RoundResult memory r) {
        r.supplyWh = uint128(supplyWh);
        r.demandWh = uint128(demandWh);
        if (sellers.length == 0 || buyers.length == 0) return r; // MarketType.Empty, price 0
        if (supplyWh == demandWh) {
            uint32 last = uint32(sellers.length - 1);
            IDoubleAuction.Order storage lastSeller = orders[sellers[last]];
            r.market = IDoubleAuction.MarketType.Balanced;
            r.price = lastSeller.quote;
            r.marginal = last;
            r.priceSetter = last;
            r.marginalAllocationWh = lastSeller.energyWh;
            return r;
        }
        bool buyersMarket = supplyWh > demandWh;
        uint32[] memory longSide = buyersMarket ? sellers : buyers;
        uint256 remaining = buyersMarket ? demandWh : supplyWh;
        r.market = buyersMarket ? IDoubleAuction.MarketType.Buyer : IDoubleAuction.MarketType.Seller;
        for (uint256 position = 0; position < longSide.length; ++position) {
            IDoubleAuction.Order storage order = orders[longSide[position]];
            uint256 energy = order.energyWh;
            if (energy < remaining) {
                // unchecked: energy < remaining on this branch.
                unchecked {
                    remaining -= energy;
                }
                continue;
            }
            r.marginal = uint32(position);
            r.marginalAllocationWh = uint64(remaining);
            // m sold (bought) exactly all it had: the next order sets the price. It exists because
            // the long side holds strictly more energy than the quota.
            r.priceSetter = energy == remaining ? uint32(position + 1) : uint32(position);
            r.price = orders[longSide[r.priceSetter]].quote;
            return r;
        }
        // Unreachable: the long side's total exceeds the quota, so the loop returns.
        assert(false);
    }

    /// @notice What the order at merit `position` of `side` trades under result `r`.
    function allocationOf(
        IDoubleAuction.RoundResult memory r,
        IDoubleAuction.Side side,
        uint256 position,
        uint64 energyWh
    ) internal pure returns (uint64) {
        IDoubleAuction.MarketType m = r.market;
        if (m == IDoubleAuction.MarketType.Empty) return 0;
        if (m == IDoubleAuction.MarketType.Balanced) return energyWh;
        bool isLongSide = (m == IDoubleAuction.MarketType.Buyer) == (side == IDoubleAuction.Side.Seller);
        if (!isLongSide) return energyWh;
        if (position < r.marginal) return energyWh;
        if (position == r.marginal) return r.marginalAllocationWh;
        return 0;
    }

    /// @notice Sorts the active orders of `side` into merit order on chain (insertion sort).
    /// @dev O(n^2): only for books up to the caller's small cap; larger books use a verified hint.
    function sort(IDoubleAuction.Order[] storage orders, IDoubleAuction.Side side, uint256 count)
        internal
        view
        returns (uint32[] memory ranked)
    {
        ranked = new uint32[](count);
        IDoubleAuction.Order[] memory cache = new IDoubleAuction.Order[](count);
        uint256 n = 0;
        uint256 total = orders.length;
        for (uint256 index = 0; index < total; ++index) {
            IDoubleAuction.Order memory order = orders[index];
            if (order.side != side || order.cancelled) continue;
            uint256 j = n;
            while (j > 0 && ranksBefore(side, order, index, cache[j - 1], ranked[j - 1])) {
                cache[j] = cache[j - 1];
                ranked[j] = ranked[j - 1];
                --j;
            }
            cache[j] = order;
            ranked[j] = uint32(index);
            ++n;
        }
    }
}
