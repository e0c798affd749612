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

    // Field order is the ABI of openCycle and params() (encoded by src/chain) and the storage layout the gas
    // baseline measured; saving the third slot is an ABI change of its own, not a lint fix.
    // solhint-disable gas-struct-packing
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
    // solhint-enable gas-struct-packing

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
    /// @notice The operator opened cycle `cycleId`.
    /// @param cycleId the new cycle
    /// @param params what the operator fixed
    /// @param alphaWad the EMA weight fixed for the cycle
    /// @param fees the fee schedule fixed for the cycle
    event CycleOpened(uint256 indexed cycleId, CycleParams params, uint64 alphaWad, FeeSchedule fees);
    /// @notice The operator set alpha for cycles opened from now on.
    /// @param alphaWad the EMA weight, in WAD
    event AlphaSet(uint64 alphaWad);
    /// @notice The operator set the fees of one voltage level for cycles opened from now on.
    /// @param voltageLevel 1 low, 2 medium, 3 high
    /// @param baseFeePerKwh fee per kWh, in token base units
    /// @param distanceFeePerKwh fee per kWh and distance unit, in token base units
    event FeesSet(uint8 indexed voltageLevel, uint64 baseFeePerKwh, uint64 distanceFeePerKwh);
    /// @notice The operator set the distance between two regions.
    /// @param regionA one region
    /// @param regionB the other region
    /// @param distance their distance, in distance units
    event RegionDistanceSet(uint16 indexed regionA, uint16 indexed regionB, uint32 distance);
    /// @notice A provider posted an offer.
    /// @param cycleId the cycle
    /// @param offer the offer's index
    /// @param provider who posted it
    /// @param pricePerKwh its price, in token base units per kWh
    /// @param capacityWh energy it can supply, denominated in Wh
    /// @param rcMicro the provider's comprehensive reputation, in micro units
    event OfferPosted(
        uint256 indexed cycleId,
        uint16 indexed offer,
        address indexed provider,
        uint64 pricePerKwh,
        uint64 capacityWh,
        uint32 rcMicro
    );
    /// @notice A user posted a request.
    /// @param cycleId the cycle
    /// @param request the request's index
    /// @param user who posted it
    /// @param energyWh energy requested, denominated in Wh
    /// @param maxPricePerKwh the highest price it accepts, in token base units per kWh
    /// @param locked margin and prepayment locked, in token base units
    event RequestPosted(
        uint256 indexed cycleId,
        uint16 indexed request,
        address indexed user,
        uint64 energyWh,
        uint64 maxPricePerKwh,
        uint256 locked
    );
    /// @notice A provider withdrew its offer.
    /// @param cycleId the cycle
    /// @param offer the offer's index
    /// @param provider who withdrew it
    event OfferCancelled(uint256 indexed cycleId, uint16 indexed offer, address indexed provider);
    /// @notice A user withdrew its request.
    /// @param cycleId the cycle
    /// @param request the request's index
    /// @param user who withdrew it
    event RequestCancelled(uint256 indexed cycleId, uint16 indexed request, address indexed user);
    /// @notice A valid assignment became the best of the cycle.
    /// @param cycleId the cycle
    /// @param submitter who posted it
    /// @param objective its objective
    event AssignmentAccepted(uint256 indexed cycleId, address indexed submitter, uint256 objective);
    /// @notice A valid assignment was not better than the best so far and was not kept.
    /// @param cycleId the cycle
    /// @param submitter who posted it
    /// @param objective its objective
    /// @param bestObjective the best objective so far
    event AssignmentNotBetter(uint256 indexed cycleId, address indexed submitter, uint256 objective, uint256 bestObjective);
    /// @notice finalize created a trade of the accepted assignment.
    /// @param cycleId the cycle
    /// @param tradeId the escrow's trade id
    /// @param request the request's index
    /// @param offer the offer's index
    /// @param energyWh energy traded, denominated in Wh
    /// @param pricePerKwh the offer's price, in token base units per kWh
    event TradeMatched(
        uint256 indexed cycleId,
        uint256 indexed tradeId,
        uint16 request,
        uint16 offer,
        uint64 energyWh,
        uint64 pricePerKwh
    );
    /// @notice finalize reached an assigned request after delivery had started: released, not traded.
    /// @param cycleId the cycle
    /// @param request the request's index
    /// @param offer the offer it was assigned to
    event MatchExpired(uint256 indexed cycleId, uint16 request, uint16 offer);
    /// @notice finalize returned what a request had locked.
    /// @param cycleId the cycle
    /// @param request the request's index
    /// @param unlocked the amount returned, in token base units
    event RequestReleased(uint256 indexed cycleId, uint16 indexed request, uint256 unlocked);
    /// @notice finalize returned an offer's margin.
    /// @param cycleId the cycle
    /// @param offer the offer's index
    /// @param unlocked the amount returned, in token base units
    event OfferReleased(uint256 indexed cycleId, uint16 indexed offer, uint256 unlocked);
    /// @notice finalize reached the end of cycle `cycleId`.
    /// @param cycleId the cycle
    /// @param trades trades created
    event CycleFinalized(uint256 indexed cycleId, uint32 trades);
    /// @notice The escrow reported the delivery ratio of a trade of the cycle.
    /// @param cycleId the cycle
    /// @param tradeId the trade
    /// @param provider its seller
    /// @param ratioWad delivered / agreed, in WAD
    event DeliveryRecorded(uint256 indexed cycleId, uint256 indexed tradeId, address indexed provider, uint256 ratioWad);
    /// @notice A provider's reputation changed by the deliveries of cycle `cycleId`.
    /// @param provider the provider
    /// @param cycleId the cycle applied
    /// @param currentWad the cycle's current reputation, in WAD
    /// @param comprehensiveWad the comprehensive reputation now, in WAD
    event ReputationUpdated(address indexed provider, uint256 indexed cycleId, uint256 currentWad, uint256 comprehensiveWad);
    /// @notice The deliveries of cycle `cycleId` were applied to reputations.
    /// @param cycleId the cycle
    /// @param providers providers updated
    /// @param settled trades whose ratio was recorded
    /// @param trades trades of the cycle
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
    /// @param params what the operator fixes (see CycleParams)
    /// @return cycleId the new cycle's id
    function openCycle(CycleParams calldata params) external returns (uint256 cycleId);
    /// @notice Sets the EMA weight alpha (WAD in [0, 1e18]) for cycles opened from now on.
    /// @param alphaWad the EMA weight, in WAD
    function setAlpha(uint64 alphaWad) external;
    /// @notice Sets the fees of one voltage level (1..3) for cycles opened from now on.
    /// @param voltageLevel 1 low, 2 medium, 3 high
    /// @param baseFeePerKwh fee per kWh, in token base units
    /// @param distanceFeePerKwh fee per kWh and distance unit, in token base units
    function setFees(uint8 voltageLevel, uint64 baseFeePerKwh, uint64 distanceFeePerKwh) external;
    /// @notice Sets the symmetric distance between two different regions (read live by every cycle).
    /// @param regionA one region
    /// @param regionB the other region
    /// @param distance their distance, in distance units
    function setRegionDistance(uint16 regionA, uint16 regionB, uint32 distance) external;

    // ---------------------------------------------------------------- participants
    /// @notice Posts the caller's offer (provider): price and the energy it can supply in the cycle.
    /// Locks the cycle's margin.
    /// @param cycleId the cycle
    /// @param pricePerKwh the price asked, in token base units per kWh
    /// @param capacityWh energy it can supply, denominated in Wh
    /// @return offer the offer's index
    function postOffer(uint256 cycleId, uint64 pricePerKwh, uint64 capacityWh) external returns (uint16 offer);
    /// @notice Posts the caller's request (user). Locks the margin plus costUp(energyWh, maxPricePerKwh).
    /// @param cycleId the cycle
    /// @param energyWh energy requested, denominated in Wh
    /// @param maxPricePerKwh the highest price accepted, in token base units per kWh
    /// @return request the request's index
    function postRequest(uint256 cycleId, uint64 energyWh, uint64 maxPricePerKwh) external returns (uint16 request);
    /// @notice Withdraws the caller's offer during posting and releases its margin; final for the cycle.
    /// @param cycleId the cycle
    function cancelOffer(uint256 cycleId) external;
    /// @notice Withdraws the caller's request during posting and releases its locks; final for the cycle.
    /// @param cycleId the cycle
    function cancelRequest(uint256 cycleId) external;

    // ---------------------------------------------------------------- solvers
    /// @notice Posts an assignment (offer index per request, GRID for none) during the submission
    /// window; anyone may post. Reverts with the first violated rule; keeps it when it is the first
    /// valid one or strictly better than the best so far.
    /// @param cycleId the cycle
    /// @param assignment offer index per request, GRID for none
    /// @return objective the assignment's objective
    function submitAssignment(uint256 cycleId, uint16[] calldata assignment) external returns (uint256 objective);
    /// @notice Creates the trades of the accepted assignment and releases everything else, at most
    /// `maxSteps` requests or offers per call; call again until CycleFinalized. Anyone may call.
    /// @param cycleId the cycle
    /// @param assignment the accepted assignment, as submitted
    /// @param maxSteps the most requests or offers handled in this call
    function finalize(uint256 cycleId, uint16[] calldata assignment, uint32 maxSteps) external;

    // ---------------------------------------------------------------- reputation
    /// @notice Applies cycle `cycleId`'s delivery ratios to its providers' reputations. Cycles are
    /// applied in increasing order, each once finalized and all its trades settled (or, so a lost
    /// report cannot freeze reputation forever, once RECORDING_GRACE has passed its settlement deadline).
    /// @param cycleId the cycle to apply
    function updateReputation(uint256 cycleId) external;

    // ---------------------------------------------------------------- views
    /// @notice The objective of `assignment` in cycle `cycleId`; reverts with the first violated rule.
    /// @param cycleId the cycle
    /// @param assignment offer index per request, GRID for none
    /// @return objective the objective
    function objectiveOf(uint256 cycleId, uint16[] calldata assignment) external view returns (uint256 objective);
    /// @notice The comprehensive reputation of `provider`.
    /// @param provider the provider
    /// @return reputationWad the reputation, in WAD
    function reputationOf(address provider) external view returns (uint256 reputationWad);
    /// @notice The last cycle whose deliveries were applied to reputations.
    /// @return cycleId the cycle (0: none yet)
    function lastAppliedCycle() external view returns (uint256 cycleId);
    /// @notice How many cycles were opened; ids run from 1 to this.
    /// @return count the number of cycles
    function cycleCount() external view returns (uint256 count);
    /// @notice What the operator fixed for cycle `cycleId`.
    /// @param cycleId the cycle
    /// @return cycleParams its parameters
    function params(uint256 cycleId) external view returns (CycleParams memory cycleParams);
    /// @notice Progress of cycle `cycleId`.
    /// @param cycleId the cycle
    /// @return state its state
    function cycleState(uint256 cycleId) external view returns (CycleState memory state);
    /// @notice The fee schedule fixed for cycle `cycleId`.
    /// @param cycleId the cycle
    /// @return schedule its fees
    function cycleFees(uint256 cycleId) external view returns (FeeSchedule memory schedule);
    /// @notice The phase of cycle `cycleId` now.
    /// @param cycleId the cycle
    /// @return phase its phase (None when unknown)
    function phaseOf(uint256 cycleId) external view returns (Phase phase);
    /// @notice The best valid assignment of cycle `cycleId` so far.
    /// @param cycleId the cycle
    /// @return best the assignment's hash, submitter and objective
    function bestAssignment(uint256 cycleId) external view returns (BestAssignment memory best);
    /// @notice How many offers cycle `cycleId` received.
    /// @param cycleId the cycle
    /// @return count the number of offers
    function offerCount(uint256 cycleId) external view returns (uint256 count);
    /// @notice How many requests cycle `cycleId` received.
    /// @param cycleId the cycle
    /// @return count the number of requests
    function requestCount(uint256 cycleId) external view returns (uint256 count);
    /// @notice Offers of cycle `cycleId` by index, one page at a time.
    /// @param cycleId the cycle
    /// @param offset index of the first offer
    /// @param limit page size
    /// @return offers the offers of the page
    function offersPage(uint256 cycleId, uint256 offset, uint256 limit) external view returns (Offer[] memory offers);
    /// @notice Requests of cycle `cycleId` by index, one page at a time.
    /// @param cycleId the cycle
    /// @param offset index of the first request
    /// @param limit page size
    /// @return requests the requests of the page
    function requestsPage(uint256 cycleId, uint256 offset, uint256 limit) external view returns (Request[] memory requests);
    /// @notice The EMA weight for cycles opened from now on.
    /// @return alpha the weight, in WAD
    function alphaWad() external view returns (uint64 alpha);
    /// @notice The fee schedule for cycles opened from now on.
    /// @return schedule the fees
    function fees() external view returns (FeeSchedule memory schedule);
    /// @notice The distance between two regions (0 within a region).
    /// @param regionA one region
    /// @param regionB the other region
    /// @return distance their distance, in distance units
    function regionDistance(uint16 regionA, uint16 regionB) external view returns (uint32 distance);
}
