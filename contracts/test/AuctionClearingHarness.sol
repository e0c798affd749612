// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDoubleAuction} from "../interfaces/IDoubleAuction.sol";
import {AuctionClearing} from "../libraries/AuctionClearing.sol";

/// @notice Exposes AuctionClearing to tests: call `clear` with eth_call to compare it with the
/// TypeScript reference clearing on many random books without placing real orders.
contract AuctionClearingHarness {
    IDoubleAuction.Order[] private _orders;

    function clear(IDoubleAuction.Order[] calldata orders, uint32[] calldata sellers, uint32[] calldata buyers)
        external
        returns (IDoubleAuction.RoundResult memory r, uint64[] memory sellerAllocations, uint64[] memory buyerAllocations)
    {
        (uint256 activeSellers, uint256 activeBuyers) = _store(orders);
        uint256 supply = AuctionClearing.verify(_orders, sellers, IDoubleAuction.Side.Seller, activeSellers);
        uint256 demand = AuctionClearing.verify(_orders, buyers, IDoubleAuction.Side.Buyer, activeBuyers);
        r = AuctionClearing.clear(_orders, sellers, buyers, supply, demand);
        sellerAllocations = _allocations(r, sellers, IDoubleAuction.Side.Seller);
        buyerAllocations = _allocations(r, buyers, IDoubleAuction.Side.Buyer);
    }

    function _allocations(IDoubleAuction.RoundResult memory r, uint32[] calldata ranked, IDoubleAuction.Side side)
        private
        view
        returns (uint64[] memory allocations)
    {
        allocations = new uint64[](ranked.length);
        for (uint256 k = 0; k < ranked.length; ++k) {
            allocations[k] = AuctionClearing.allocationOf(r, side, k, _orders[ranked[k]].energyWh);
        }
    }

    function _store(IDoubleAuction.Order[] calldata orders) private returns (uint256 activeSellers, uint256 activeBuyers) {
        delete _orders;
        for (uint256 i = 0; i < orders.length; ++i) {
            _orders.push(orders[i]);
            if (orders[i].cancelled) continue;
            if (orders[i].side == IDoubleAuction.Side.Seller) ++activeSellers;
            else ++activeBuyers;
        }
    }

    function sort(IDoubleAuction.Order[] calldata orders) external returns (uint32[] memory sellers, uint32[] memory buyers) {
        (uint256 activeSellers, uint256 activeBuyers) = _store(orders);
        sellers = AuctionClearing.sort(_orders, IDoubleAuction.Side.Seller, activeSellers);
        buyers = AuctionClearing.sort(_orders, IDoubleAuction.Side.Buyer, activeBuyers);
    }
}
