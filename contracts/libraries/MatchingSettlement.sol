// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMarketEscrow} from "../interfaces/IMarketEscrow.sol";
import {IReputationMatching} from "../interfaces/IReputationMatching.sol";
import {AssignmentCheck} from "./AssignmentCheck.sol";
import {MatchingMath} from "./MatchingMath.sol";

/// @title MatchingSettlement
/// @notice Turns a cycle's accepted assignment into escrow trades and releases every lock that no
/// trade holds, resumably: stage 0 walks the requests in index order, stage 1 the offers.
/// @dev Money rules (every lock ends up either committed to a trade or unlocked, to the base unit):
///      - a user locked margin + costUp(R, maxPrice): its trade takes the whole margin and
///        costUp(R, r_j); the rest is unlocked. GRID requests get everything back.
///      - a provider locked one margin: its trades take pieces split by cumulative energy (floor of
///        cumulative shares, which telescope to the margin); a provider with nothing assigned gets
///        it back in stage 1.
///      - a matched request that finalize reaches at or after deliveryStart is released, user locks
///        and the provider's piece alike: a provider must know its trades before delivery begins.
///      Loop bounds: every call does at most `steps` requests or offers; the per-offer totals are
///      recomputed from the calldata assignment on every call (<= requestCap iterations).
library MatchingSettlement {
    uint16 internal constant GRID = AssignmentCheck.GRID;

    /// @dev Where finalize stopped: stage 0 requests, 1 offers, 2 done; position within the stage.
    struct Cursor {
        uint8 stage;
        uint16 position;
    }

    /// @dev A trade finalize created, until its delivery is recorded.
    struct TradeRef {
        uint64 cycleId;
        uint16 offer;
        bool open;
    }

    /// @dev One finalize call's working state in memory. totalWh / doneWh: per offer, the energy
    ///      the assignment gives it in total and before the current request.
    struct Batch {
        uint256 cycleId;
        IMarketEscrow escrow;
        uint256 steps;
        uint32 trades;
        uint256 margin;
        uint256[] totalWh;
        uint256[] doneWh;
    }

    /// @notice Runs up to b.steps steps from cursor `c` (updated in place); b.trades counts trades.
    /// @param b the batch: step budget, cycle, margin, escrow and counters
    /// @param c where the previous call stopped
    /// @param p the cycle's parameters
    /// @param offers the cycle's offers
    /// @param requests the cycle's requests
    /// @param refs the trade records, by escrow trade id
    /// @param assignment the accepted assignment
    function run(
        Batch memory b,
        Cursor memory c,
        IReputationMatching.CycleParams storage p,
        IReputationMatching.Offer[] storage offers,
        IReputationMatching.Request[] storage requests,
        mapping(uint256 tradeId => TradeRef) storage refs,
        uint16[] calldata assignment
    ) internal {
        _totals(b, c, offers.length, requests, assignment);
        if (c.stage == 0) _settleRequests(b, c, p, offers, requests, refs, assignment);
        if (c.stage == 1) _releaseOffers(b, c, offers);
    }

    /// @dev Loop bound: assignment.length == the cycle's requests.
    function _totals(
        Batch memory b,
        Cursor memory c,
        uint256 offerCount,
        IReputationMatching.Request[] storage requests,
        uint16[] calldata assignment
    ) private view {
        b.totalWh = new uint256[](offerCount);
        b.doneWh = new uint256[](offerCount);
        for (uint256 i = 0; i < assignment.length; ++i) {
            uint256 j = assignment[i];
            if (j == GRID) continue;
            uint256 energyWh = requests[i].energyWh;
            b.totalWh[j] += energyWh;
            if (c.stage == 0 && i < c.position) b.doneWh[j] += energyWh;
        }
    }

    /// @dev Stage 0: one step per request, in index order.
    function _settleRequests(
        Batch memory b,
        Cursor memory c,
        IReputationMatching.CycleParams storage p,
        IReputationMatching.Offer[] storage offers,
        IReputationMatching.Request[] storage requests,
        mapping(uint256 tradeId => TradeRef) storage refs,
        uint16[] calldata assignment
    ) private {
        uint256 n = assignment.length;
        uint256 i = c.position;
        while (b.steps > 0 && i < n) {
            IReputationMatching.Request storage r = requests[i];
            uint16 j = assignment[i];
            // solhint-disable-next-line no-empty-blocks
            if (r.cancelled) {
                // released when it was cancelled; the accepted assignment sends it to GRID
            } else if (j == GRID) {
                uint256 amount = requestLock(b.margin, r);
                emit IReputationMatching.RequestReleased(b.cycleId, uint16(i), amount);
                b.escrow.unlock(r.user, amount);
            } else if (block.timestamp < p.deliveryStart) {
                uint256 tradeId = _openTrade(b, p, offers[j], r, uint16(i), j);
                refs[tradeId] = TradeRef({cycleId: uint64(b.cycleId), offer: j, open: true});
            } else {
                _expireMatch(b, offers[j].provider, r, uint16(i), j);
            }
            --b.steps;
            ++i;
        }
        c.position = uint16(i);
        if (i == n) {
            c.stage = 1;
            c.position = 0;
        }
    }

    function _openTrade(
        Batch memory b,
        IReputationMatching.CycleParams storage p,
        IReputationMatching.Offer storage o,
        IReputationMatching.Request storage r,
        uint16 i,
        uint16 j
    ) private returns (uint256 tradeId) {
        IMarketEscrow.TradeTerms memory t;
        t.seller = o.provider;
        t.buyer = r.user;
        t.period = uint64(b.cycleId);
        t.energyWh = r.energyWh;
        t.pricePerKwh = o.pricePerKwh;
        t.deliveryStart = p.deliveryStart;
        t.deliveryEnd = p.deliveryEnd;
        t.settlementDeadline = p.settlementDeadline;
        // rounded up: covers costDown(R, r_j), the most the provider can be paid
        t.prepayment = MatchingMath.costUp(t.energyWh, t.pricePerKwh);
        t.sellerMargin = _sellerMarginPiece(b, j, t.energyWh);
        t.buyerMargin = b.margin;
        tradeId = b.escrow.createTrade(t);
        ++b.trades;
        emit IReputationMatching.TradeMatched(b.cycleId, tradeId, i, j, t.energyWh, uint64(t.pricePerKwh));
        // the user locked costUp(R, maxPrice) >= costUp(R, r_j): r_j <= maxPrice was verified
        uint256 refund = MatchingMath.costUp(t.energyWh, r.maxPricePerKwh) - t.prepayment;
        if (refund != 0) b.escrow.unlock(t.buyer, refund);
    }

    /// @dev Releases a matched pair that can no longer trade: the request's locks and the provider's
    ///      margin piece for it (the pieces of all its requests still sum to its margin).
    function _expireMatch(
        Batch memory b,
        address provider,
        IReputationMatching.Request storage r,
        uint16 i,
        uint16 j
    ) private {
        uint256 piece = _sellerMarginPiece(b, j, r.energyWh);
        uint256 amount = requestLock(b.margin, r);
        emit IReputationMatching.MatchExpired(b.cycleId, i, j);
        emit IReputationMatching.RequestReleased(b.cycleId, i, amount);
        emit IReputationMatching.OfferReleased(b.cycleId, j, piece);
        b.escrow.unlock(r.user, amount);
        if (piece != 0) b.escrow.unlock(provider, piece);
    }

    /// @dev The provider's margin times the cumulative-energy share difference; advances doneWh.
    function _sellerMarginPiece(Batch memory b, uint16 j, uint256 energyWh) private pure returns (uint256) {
        uint256 before = b.doneWh[j];
        uint256 after_ = before + energyWh;
        b.doneWh[j] = after_;
        uint256 total = b.totalWh[j];
        return MatchingMath.share(b.margin, after_, total) - MatchingMath.share(b.margin, before, total);
    }

    /// @dev Stage 1: one step per offer; releases the margins of offers that were assigned nothing.
    function _releaseOffers(Batch memory b, Cursor memory c, IReputationMatching.Offer[] storage offers) private {
        uint256 n = offers.length;
        uint256 k = c.position;
        while (b.steps > 0 && k < n) {
            IReputationMatching.Offer storage o = offers[k];
            if (!o.cancelled && b.totalWh[k] == 0) {
                emit IReputationMatching.OfferReleased(b.cycleId, uint16(k), b.margin);
                b.escrow.unlock(o.provider, b.margin);
            }
            --b.steps;
            ++k;
        }
        c.position = uint16(k);
        if (k == n) c.stage = 2;
    }

    /// @notice What a request locks: margin plus the prepayment at its maximum price, rounded up.
    /// @param margin the cycle's margin, in token base units
    /// @param r the request
    function requestLock(uint256 margin, IReputationMatching.Request storage r) internal view returns (uint256) {
        return margin + MatchingMath.costUp(r.energyWh, r.maxPricePerKwh);
    }
}
