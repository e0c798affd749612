// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IReputationMatching} from "../interfaces/IReputationMatching.sol";
import {MatchingMath} from "./MatchingMath.sol";

/// @title AssignmentCheck
/// @notice Verifies a posted assignment of a matching cycle in one pass and recomputes its
/// objective, the sum of matching degrees M over the pairs it uses. Twin of checkAssignment in
/// src/core/matching/degree.ts: the rules are checked in the same order and the first violated one
/// reverts with the same error and arguments.
/// @dev Order of the checks, per request i in index order (assignment[i] = offer j or GRID):
///      GRID -> fine (a cancelled request must be GRID); cancelled request -> CancelledRequest;
///      j >= offers -> UnknownOffer; cancelled offer -> CancelledOffer; r_j > max price ->
///      PriceAboveMax; zeta < 0 -> NegativeRevenue; j's used energy > capacity -> CapacityExceeded.
///      Gas: O(requests) storage reads (one slot per request), one slot per offer used (cached in
///      memory), one distance read per cross-region pair.
library AssignmentCheck {
    uint16 internal constant GRID = type(uint16).max;

    /// @dev An offer's slot 0, copied to memory on first use.
    struct OfferView {
        uint64 pricePerKwh;
        uint64 capacityWh;
        uint32 rcMicro;
        uint16 region;
        uint8 voltageLevel;
        bool cancelled;
        bool loaded;
        uint256 usedWh;
    }

    /// @notice Distance key of an unordered pair of regions.
    /// @param a one region
    /// @param b the other
    function pairKey(uint16 a, uint16 b) internal pure returns (uint32) {
        return a < b ? (uint32(a) << 16) | b : (uint32(b) << 16) | a;
    }

    /// @notice Fee per kWh between two parties under `fees` (0 distance within a region).
    /// @param fees the cycle's fee schedule
    /// @param distances distances between regions, by pairKey
    /// @param regionA one party's region
    /// @param levelA its voltage level
    /// @param regionB the other party's region
    /// @param levelB its voltage level
    function pairFee(
        IReputationMatching.FeeSchedule memory fees,
        mapping(uint32 pair => uint32 distance) storage distances,
        uint16 regionA,
        uint8 levelA,
        uint16 regionB,
        uint8 levelB
    ) internal view returns (uint256) {
        uint8 level = MatchingMath.higherLevel(levelA, levelB);
        uint256 distance = regionA == regionB ? 0 : distances[pairKey(regionA, regionB)];
        return MatchingMath.feePerKwh(fees.baseFeePerKwh[level], fees.distanceFeePerKwh[level], distance);
    }

    /// @dev What the pass keeps in memory: the cycle's fees and the offers used so far.
    struct Context {
        IReputationMatching.FeeSchedule fees;
        OfferView[] seen;
    }

    /// @notice Verifies `assignment` and returns its objective; reverts with the first violated rule.
    /// @dev Loop bound: assignment.length == requests.length <= the cycle's requestCap.
    /// @param offers the cycle's offers
    /// @param requests the cycle's requests
    /// @param distances distances between regions, by pairKey
    /// @param fees the cycle's fee schedule
    /// @param assignment offer index per request, GRID for none
    /// @return total the sum of the matching degrees of the assigned pairs
    function objective(
        IReputationMatching.Offer[] storage offers,
        IReputationMatching.Request[] storage requests,
        mapping(uint32 pair => uint32 distance) storage distances,
        IReputationMatching.FeeSchedule memory fees,
        uint16[] calldata assignment
    ) internal view returns (uint256 total) {
        uint256 n = requests.length;
        if (assignment.length != n) revert IReputationMatching.MatchingWrongLength(assignment.length, n);
        Context memory ctx = Context({fees: fees, seen: new OfferView[](offers.length)});
        for (uint256 i = 0; i < n; ++i) {
            uint256 j = assignment[i];
            if (j == GRID) continue;
            IReputationMatching.Request storage request = requests[i];
            if (request.cancelled) revert IReputationMatching.MatchingCancelledRequest(i, j);
            if (j >= ctx.seen.length) revert IReputationMatching.MatchingUnknownOffer(i, j);
            OfferView memory o = ctx.seen[j];
            if (!o.loaded) _load(offers[j], o);
            if (o.cancelled) revert IReputationMatching.MatchingCancelledOffer(i, j);
            total += _pairDegree(request, distances, ctx.fees, o, i, j);
        }
    }

    /// @dev The rules of one used pair after the index checks: price, revenue, capacity; returns M_ij.
    function _pairDegree(
        IReputationMatching.Request storage request,
        mapping(uint32 pair => uint32 distance) storage distances,
        IReputationMatching.FeeSchedule memory fees,
        OfferView memory o,
        uint256 i,
        uint256 j
    ) private view returns (uint256) {
        uint256 maxPrice = request.maxPricePerKwh;
        // compared as integers of the same unit, no division
        if (o.pricePerKwh > maxPrice) revert IReputationMatching.MatchingPriceAboveMax(i, j, o.pricePerKwh, maxPrice);
        uint256 fee = pairFee(fees, distances, o.region, o.voltageLevel, request.region, request.voltageLevel);
        uint256 energyWh = request.energyWh;
        int256 zeta = MatchingMath.revenue(energyWh, o.pricePerKwh, fee);
        if (zeta < 0) revert IReputationMatching.MatchingNegativeRevenue(i, j, zeta);
        o.usedWh += energyWh;
        if (o.usedWh > o.capacityWh) revert IReputationMatching.MatchingCapacityExceeded(j, o.usedWh, o.capacityWh);
        // zeta >= 0 was checked above, so the cast is exact
        return MatchingMath.degree(uint256(zeta), o.rcMicro);
    }

    function _load(IReputationMatching.Offer storage offer, OfferView memory o) private view {
        o.pricePerKwh = offer.pricePerKwh;
        o.capacityWh = offer.capacityWh;
        o.rcMicro = offer.rcMicro;
        o.region = offer.region;
        o.voltageLevel = offer.voltageLevel;
        o.cancelled = offer.cancelled;
        o.loaded = true;
    }
}
