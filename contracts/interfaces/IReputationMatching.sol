// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IReputationStore} from "./IReputationStore.sol";

/// @title IReputationMatching
/// @notice Paper B's market (SPEC section 4): per cycle, providers post a price and a capacity, users
/// post requests; an off-chain solver computes the assignment that maximises the sum of matching
/// degrees M_ij (a generalized assignment problem) and anyone posts it during the submission
/// window; the contract recomputes the objective in one pass and keeps the best; finalize turns the
/// best assignment into bilateral trades in the escrow. Settled trades report their delivery ratios
/// back (IReputationStore) and updateReputation folds them into each provider's comprehensive
/// reputation RC, an exponential moving average.
/// @dev Units: energy in Wh; prices and fees in token base units per kWh (the token has 6 decimals, so
///      base units are micro currency units); reputation as a WAD (1e18 = 1.0) in storage and in micro
///      units (1e6 = 1.0) inside the matching degree. The time phases of a cycle are
///      posting [open, postingEnds), submission [postingEnds, submissionEnds), then finalize.
interface IReputationMatching is IReputationStore {
    /// @notice Derived phase of a cycle (time-based until it is finalized).
    enum Phase {
        None,
        Posting,
        Submission,
        Finalizing,
        Finalized,
        ReputationApplied
    }

    /// @notice What the operator fixes when it opens a cycle.
    /// @param region grid zone whose participants may post (0 = every region)
    /// @param postingEnds offers, requests and cancellations are accepted until this time (exclusive)
    /// @param submissionEnds assignments are accepted from postingEnds until this time (exclusive)
    /// @param deliveryStart / deliveryEnd / settlementDeadline passed on to the trades; a request that
    ///        finalize reaches at or after deliveryStart is released instead of traded
    /// @param requestCap / offerCap the most requests / offers the cycle accepts (<= MAX_REQUESTS /
    ///        MAX_OFFERS); they bound every loop over the cycle
    /// @param margin token base units locked per offer and per request, returned after honest completion
    struct CycleParams {
        uint16 region;
        uint64 postingEnds;
        uint64 submissionEnds;
        uint64 deliveryStart;
        uint64 deliveryEnd;
        uint64 settlementDeadline;
        uint16 requestCap;
        uint16 offerCap;
        uint128 margin;
    }

    /// @notice The grid-crossing fee schedule: fee = baseFeePerKwh[v] + distanceFeePerKwh[v] * distance,
    /// v the higher of the two parties' voltage levels (1 low, 2 medium, 3 high; index 0 is unused).
    /// Denominated in token base units per kWh (per distance unit for distanceFeePerKwh).
    struct FeeSchedule {
        uint64[4] baseFeePerKwh;
        uint64[4] distanceFeePerKwh;
    }

    /// @dev Slot 0 holds everything the assignment check reads; slot 1 the owner and the delivery
    ///      ratios recorded for the cycle's reputation.
    /// @param rcMicro the provider's comprehensive reputation when it posted, in micro units (1e6 = 1.0)
    /// @param region / voltageLevel snapshot from the registry when it posted
    /// @param deliveries trades of this offer whose delivery ratio was recorded
    /// @param ratioSumWad sum of those ratios (at most MAX_REQUESTS * 1e18 < 2^96)
    struct Offer {
        uint64 pricePerKwh;
        uint64 capacityWh;
        uint32 rcMicro;
        uint16 region;
        uint8 voltageLevel;
        bool cancelled;
        uint16 deliveries;
        address provider;
        uint96 ratioSumWad;
    }

    /// @dev Slot 0 holds everything the assignment check reads; slot 1 the owner.
    struct Request {
        uint64 energyWh;
        uint64 maxPricePerKwh;
        uint16 region;
        uint8 voltageLevel;
        bool cancelled;
        address user;
    }

    /// @param alphaWad the EMA weight of the current reputation, fixed when the cycle opened
    /// @param trades trades created in the escrow by finalize
    /// @param settled trades whose delivery ratio was recorded
    struct CycleState {
        uint64 alphaWad;
        uint32 trades;
        uint32 settled;
        bool finalized;
        bool reputationApplied;
    }

    /// @notice The best valid assignment submitted so far (exists = false: none; finalize then
    /// accepts the all-GRID assignment).
    struct BestAssignment {
        bytes32 assignmentHash;
        address submitter;
        uint64 objective;
        bool exists;
    }

    // ---------------------------------------------------------------- events
    event CycleOpened(uint256 indexed cycleId, CycleParams params, uint64 alphaWad, FeeSchedule fees);
    event AlphaSet(uint64 alphaWad);
    event FeesSet(uint8 indexed voltageLevel, uint64 baseFeePerKwh, uint64 distanceFeePerKwh);
    event RegionDistanceSet(uint16 indexed regionA, uint16 indexed regionB, uint32 distance);
    event OfferPosted(
        uint256 indexed cycleId,
        uint16 indexed offer,
        address indexed provider,
        uint64 pricePerKwh,
        uint64 capacityWh,
        uint32 rcMicro
    );
    event RequestPosted(
        uint256 indexed cycleId,
        uint16 indexed request,
        address indexed user,
        uint64 energyWh,
        uint64 maxPricePerKwh,
        uint256 locked
    );
    event OfferCancelled(uint256 indexed cycleId, uint16 indexed offer, address indexed provider);
    event RequestCancelled(uint256 indexed cycleId, uint16 indexed request, address indexed user);
    event AssignmentAccepted(uint256 indexed cycleId, address indexed submitter, uint256 objective);
    event AssignmentNotBetter(uint256 indexed cycleId, address indexed submitter, uint256 objective, uint256 bestObjective);
    event TradeMatched(
        uint256 indexed cycleId,
        uint256 indexed tradeId,
        uint16 request,
        uint16 offer,
        uint64 energyWh,
        uint64 pricePerKwh
    );
    /// @notice finalize reached an assigned request after delivery had started: released, not traded.
    event MatchExpired(uint256 indexed cycleId, uint16 request, uint16 offer);
    event RequestReleased(uint256 indexed cycleId, uint16 indexed request, uint256 unlocked);
    event OfferReleased(uint256 indexed cycleId, uint16 indexed offer, uint256 unlocked);
    event CycleFinalized(uint256 indexed cycleId, uint32 trades);
    event DeliveryRecorded(uint256 indexed cycleId, uint256 indexed tradeId, address indexed provider, uint256 ratioWad);
    event ReputationUpdated(address indexed provider, uint256 indexed cycleId, uint256 currentWad, uint256 comprehensiveWad);
    event ReputationApplied(uint256 indexed cycleId, uint32 providers, uint32 settled, uint32 trades);

    // ---------------------------------------------------------------- errors
    error MatchingInvalidParams(string field);
    error MatchingUnknownCycle(uint256 cycleId);
    error MatchingPostingClosed(uint256 cycleId, uint64 postingEnds);
    error MatchingNotSubmissionWindow(uint256 cycleId, uint64 opensAt, uint64 closesAt);
    error MatchingSubmissionOpen(uint256 cycleId, uint64 submissionEnds);
    error MatchingAlreadyFinalized(uint256 cycleId);
    error MatchingNotFinalized(uint256 cycleId);
    error MatchingWrongRegion(address participant, uint16 region, uint16 cycleRegion);
    error MatchingInvalidVoltageLevel(address participant, uint8 voltageLevel);
    error MatchingAlreadyPosted(uint256 cycleId, address participant);
    error MatchingBothSides(uint256 cycleId, address participant);
    error MatchingZeroEnergy();
    error MatchingZeroPrice();
    error MatchingOfferCapReached(uint256 cycleId, uint16 offerCap);
    error MatchingRequestCapReached(uint256 cycleId, uint16 requestCap);
    error MatchingNoOffer(uint256 cycleId, address participant);
    error MatchingNoRequest(uint256 cycleId, address participant);
    error MatchingAlreadyCancelled(uint256 cycleId, address participant);
    // assignment check: the first violated rule, naming the request (or offer) where it happens
    error MatchingWrongLength(uint256 given, uint256 expected);
    error MatchingCancelledRequest(uint256 request, uint256 offer);
    error MatchingUnknownOffer(uint256 request, uint256 offer);
    error MatchingCancelledOffer(uint256 request, uint256 offer);
    error MatchingPriceAboveMax(uint256 request, uint256 offer, uint256 price, uint256 maxPrice);
    error MatchingNegativeRevenue(uint256 request, uint256 offer, int256 zeta);
    error MatchingCapacityExceeded(uint256 offer, uint256 usedWh, uint256 capacityWh);
    // finalize
    error MatchingAssignmentMismatch(uint256 cycleId, bytes32 given, bytes32 accepted);
    error MatchingZeroSteps();
    // reputation
    error MatchingUnknownTrade(uint256 tradeId);
    error MatchingTradeMismatch(uint256 tradeId, uint64 period, address provider);
    error MatchingRatioOutOfRange(uint256 tradeId, uint256 ratioWad);
    error MatchingReputationApplied(uint256 cycleId);
    error MatchingReputationOrder(uint256 cycleId, uint256 expectedCycleId);
    error MatchingTradesUnsettled(uint256 cycleId, uint32 settled, uint32 trades, uint64 graceEndsAt);

    // ---------------------------------------------------------------- operator
    /// @notice Opens a cycle; fixes the current alpha and fee schedule for it.
    function openCycle(CycleParams calldata params) external returns (uint256 cycleId);
    /// @notice Sets the EMA weight alpha (WAD in [0, 1e18]) for cycles opened from now on.
    function setAlpha(uint64 alphaWad) external;
    /// @notice Sets the fees of one voltage level (1..3) for cycles opened from now on.
    function setFees(uint8 voltageLevel, uint64 baseFeePerKwh, uint64 distanceFeePerKwh) external;
    /// @notice Sets the symmetric distance between two different regions (read live by every cycle).
    function setRegionDistance(uint16 regionA, uint16 regionB, uint32 distance) external;

    // ---------------------------------------------------------------- participants
    /// @notice Posts the caller's offer (provider): price and the energy it can supply in the cycle.
    /// Locks the cycle's margin.
    function postOffer(uint256 cycleId, uint64 pricePerKwh, uint64 capacityWh) external returns (uint16 offer);
    /// @notice Posts the caller's request (user). Locks the margin plus costUp(energyWh, maxPricePerKwh).
    function postRequest(uint256 cycleId, uint64 energyWh, uint64 maxPricePerKwh) external returns (uint16 request);
    /// @notice Withdraws the caller's offer during posting and releases its margin; final for the cycle.
    function cancelOffer(uint256 cycleId) external;
    /// @notice Withdraws the caller's request during posting and releases its locks; final for the cycle.
    function cancelRequest(uint256 cycleId) external;

    // ---------------------------------------------------------------- solvers
    /// @notice Posts an assignment (offer index per request, GRID for none) during the submission
    /// window; anyone may post. Reverts with the first violated rule; keeps it when it is the first
    /// valid one or strictly better than the best so far.
    function submitAssignment(uint256 cycleId, uint16[] calldata assignment) external returns (uint256 objective);
    /// @notice Creates the trades of the accepted assignment and releases everything else, at most
    /// `maxSteps` requests or offers per call; call again until CycleFinalized. Anyone may call.
    function finalize(uint256 cycleId, uint16[] calldata assignment, uint32 maxSteps) external;

    // ---------------------------------------------------------------- reputation
    /// @notice Applies cycle `cycleId`'s delivery ratios to its providers' reputations. Cycles are
    /// applied in increasing order, each once finalized and all its trades settled (or, so a lost
    /// report cannot freeze reputation forever, once RECORDING_GRACE has passed its settlement deadline).
    function updateReputation(uint256 cycleId) external;

    // ---------------------------------------------------------------- views
    function objectiveOf(uint256 cycleId, uint16[] calldata assignment) external view returns (uint256);
    function reputationOf(address provider) external view returns (uint256 reputationWad);
    function lastAppliedCycle() external view returns (uint256);
    function cycleCount() external view returns (uint256);
    function params(uint256 cycleId) external view returns (CycleParams memory);
    function cycleState(uint256 cycleId) external view returns (CycleState memory);
    function cycleFees(uint256 cycleId) external view returns (FeeSchedule memory);
    function phaseOf(uint256 cycleId) external view returns (Phase);
    function bestAssignment(uint256 cycleId) external view returns (BestAssignment memory);
    function offerCount(uint256 cycleId) external view returns (uint256);
    function requestCount(uint256 cycleId) external view returns (uint256);
    function offersPage(uint256 cycleId, uint256 offset, uint256 limit) external view returns (Offer[] memory);
    function requestsPage(uint256 cycleId, uint256 offset, uint256 limit) external view returns (Request[] memory);
    function alphaWad() external view returns (uint64);
    function fees() external view returns (FeeSchedule memory);
    function regionDistance(uint16 regionA, uint16 regionB) external view returns (uint32);
}
