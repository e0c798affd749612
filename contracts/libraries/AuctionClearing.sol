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

    /// @notice Whether order a (at index aIndex) ranks strictly before order b in `side`'s merit order.
    /// @param side the side both orders are on
    /// @param a one order
    /// @param aIndex its index
    /// @param b the other order
    /// @param bIndex its index
    function ranksBefore(
        IDoubleAuction.Side side,
        IDoubleAuction.Order memory a,
        uint256 aIndex,
        IDoubleAuction.Order memory b,
        uint256 bIndex
    ) internal pure returns (bool) {
        return _strictlyBefore(side == IDoubleAuction.Side.Seller, a.quote, a.firstQuote, aIndex, b.quote, b.firstQuote, bIndex);
    }

    // The clearing's hot path: one pass in one stack frame, which a split would only make dearer.
    // solhint-disable function-max-lines
    /// @notice Verifies `meritOrder` for `side` and returns the side's total energy in Wh.
    /// @dev One pass, O(n) in meritOrder.length == expected (<= the period's order cap). Per entry it
    ///      reads one storage slot (energy, quotes, side and status share it) and keeps the previous
    ///      key on the stack: no memory grows inside the loop, so the cost stays linear. Keys include
    ///      the order index and must strictly increase, so no order can appear twice: `expected`
    ///      distinct active orders of the side are exactly a permutation of them.
    /// @param orders the period's orders
    /// @param meritOrder order indices in merit order
    /// @param side the side they must be on
    /// @param expected how many active orders the side has
    /// @return totalWh the side's total energy, denominated in Wh
    function verify(
        IDoubleAuction.Order[] storage orders,
        uint32[] calldata meritOrder,
        IDoubleAuction.Side side,
        uint256 expected
    ) internal view returns (uint256 totalWh) {
        if (meritOrder.length != expected) {
            revert IDoubleAuction.AuctionMeritOrderLength(side, meritOrder.length, expected);
        }
        uint256 total = orders.length;
        uint256 base = _firstSlot(orders);
        uint256 buyers = side == IDoubleAuction.Side.Buyer ? 1 : 0;
        uint256 failure; // 0 none, 1 bad index, side or status, 2 not sorted
        uint256 failedAt;
        uint256 failedIndex;
        // The loop is the hot path of every clearing: one SLOAD per entry and no checked arithmetic.
        // Per entry: index < total (this also rejects dirty high bits of the uint32), the first slot of
        // the Order (energyWh | quote | firstQuote | side | cancelled, low-order bytes first, as the
        // compiler packs IDoubleAuction.Order) must hold this side and not cancelled, and its key must
        // exceed the previous one. Key = quote | first quote | index in 64-bit fields, quotes
        // mirrored for buyers, so "ranks strictly before" is "key strictly less" (_strictlyBefore).
        // totalWh cannot overflow: at most MAX_ORDER_CAP entries of at most 2^64 Wh each.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let mask := 0xffffffffffffffff
            let previous := 0
            for { let k := 0 } lt(k, meritOrder.length) { k := add(k, 1) } {
                let index := calldataload(add(meritOrder.offset, shl(5, k)))
                if iszero(lt(index, total)) {
                    failure := 1
                    failedAt := k
                    failedIndex := index
                    break
                }
                let word := sload(add(base, shl(1, index)))
                if iszero(eq(and(shr(192, word), 0xffff), buyers)) {
                    failure := 1
                    failedAt := k
                    failedIndex := index
                    break
                }
                let quote := and(shr(64, word), mask)
                let first := and(shr(128, word), mask)
                if buyers {
                    quote := sub(mask, quote)
                    first := sub(mask, first)
                }
                let key := or(or(shl(128, quote), shl(64, first)), index)
                if and(gt(k, 0), iszero(gt(key, previous))) {
                    failure := 2
                    failedAt := k
                    break
                }
                previous := key
                totalWh := add(totalWh, and(word, mask))
            }
        }
        if (failure == 1) revert IDoubleAuction.AuctionMeritOrderIndex(side, failedAt, failedIndex);
        if (failure == 2) revert IDoubleAuction.AuctionMeritOrderNotSorted(side, failedAt);
    }
    // solhint-enable function-max-lines

    /// @dev The first storage word of order `index` (see verify for its layout), without a bounds check.
    function _firstWord(uint256 base, uint256 index) private view returns (uint256 word) {
        // Solidity cannot read one packed word of a storage struct without loading the whole struct.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(add(base, shl(1, index)))
        }
    }

    /// @dev Storage slot of orders[0]; order i starts at slot base + 2i (an Order spans two slots).
    function _firstSlot(IDoubleAuction.Order[] storage orders) private pure returns (uint256 base) {
        // Solidity does not expose the data slot of a storage array.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0, orders.slot)
            base := keccak256(0, 32)
        }
    }

    /// @dev The merit-order comparison on plain keys: sellers by lower quote, then lower first quote;
    ///      buyers by higher quote, then higher first quote; then the earlier order.
    function _strictlyBefore(
        bool sellers,
        uint256 aQuote,
        uint256 aFirst,
        uint256 aIndex,
        uint256 bQuote,
        uint256 bFirst,
        uint256 bIndex
    ) private pure returns (bool) {
        if (aQuote != bQuote) return sellers ? aQuote < bQuote : aQuote > bQuote;
        if (aFirst != bFirst) return sellers ? aFirst < bFirst : aFirst > bFirst;
        return aIndex < bIndex;
    }

    /// @notice Clears verified merit orders (SPEC section 3).
    /// @dev Buyer's market: sellers fill demand in merit order; m is the last seller with a quota;
    ///      the price is m's ask if m has energy left, else the ask of m+1 (which exists because
    ///      supply > demand). Seller's market mirrors it with bids. Balanced: everyone in full at
    ///      the last seller's ask. One side empty: nothing trades. Loop bound: the long side's length.
    /// @param orders the period's orders
    /// @param sellers sell orders in merit order
    /// @param buyers buy orders in merit order
    /// @param supplyWh total supply, denominated in Wh
    /// @param demandWh total demand, denominated in Wh
    /// @return r the round's result
    function clear(
        IDoubleAuction.Order[] storage orders,
        uint32[] calldata sellers,
        uint32[] calldata buyers,
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
        uint32[] calldata longSide = buyersMarket ? sellers : buyers;
        uint256 remaining = buyersMarket ? demandWh : supplyWh;
        r.market = buyersMarket ? IDoubleAuction.MarketType.Buyer : IDoubleAuction.MarketType.Seller;
        uint256 base = _firstSlot(orders);
        // Bound: the long side holds strictly more energy than the quota, so a position before
        // longSide.length returns; reading past its end would revert (Panic 0x32), never return.
        for (uint256 position = 0; ; ++position) {
            // indices were verified: in range, so the unchecked slot read is safe
            uint256 energy = uint64(_firstWord(base, longSide[position]));
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
    }

    /// @notice What the order at merit `position` of `side` trades under result `r`.
    /// @param r the round's result
    /// @param side the order's side
    /// @param position its merit position
    /// @param energyWh its energy, denominated in Wh
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
    /// @param orders the period's orders
    /// @param side the side to sort
    /// @param count how many active orders the side has
    /// @return ranked order indices in merit order
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
