// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IReputationMatching} from "./interfaces/IReputationMatching.sol";
import {IMarketEscrow} from "./interfaces/IMarketEscrow.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {AssignmentCheck} from "./libraries/AssignmentCheck.sol";
import {MatchingSettlement} from "./libraries/MatchingSettlement.sol";
import {ReputationMath} from "./libraries/ReputationMath.sol";

/// @title ReputationMatching
/// @notice Paper B's market: providers and users post per cycle, solvers post assignments that the
/// contract verifies and ranks by the recomputed objective, finalize creates the trades of the best
/// one in the escrow, and the escrow's delivery reports drive each provider's reputation.
/// @dev Gas bounds: every loop runs over at most the cycle's requestCap (<= MAX_REQUESTS) requests or
///      offerCap (<= MAX_OFFERS) offers; finalize handles at most `maxSteps` requests or offers per call
///      and resumes where it stopped. Needs MARKET_ROLE on the escrow and on the registry (to push
///      reputations); the escrow it is built with holds ESCROW_ROLE here to report deliveries.
contract ReputationMatching is IReputationMatching, AccessControl, ReentrancyGuardTransient {
    /// @notice Opens cycles and sets alpha, fees and region distances.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice The escrow: reports delivery ratios.
    bytes32 public constant ESCROW_ROLE = keccak256("ESCROW_ROLE");
    /// @dev Bounds the assignment check and finalize: 256 requests on 64 offers verify in about 1.9M gas
    ///      (test/gas/ReputationMatching.gas.test.ts).
    /// @notice The largest request cap a cycle may have.
    uint16 public constant MAX_REQUESTS = 256;
    /// @dev Bounds the offer loops (release, reputation update: one registry call per provider).
    /// @notice The largest offer cap a cycle may have.
    uint16 public constant MAX_OFFERS = 64;
    /// @notice The assignment entry of a request served by the grid (no offer).
    uint16 public constant GRID = AssignmentCheck.GRID;
    /// @notice The highest voltage level (3, high voltage).
    uint8 public constant MAX_VOLTAGE_LEVEL = 3;
    /// @notice 1.0 in WAD units (alpha, ratios, reputations).
    uint64 public constant WAD = 1e18;
    /// @dev After settlementDeadline + RECORDING_GRACE a cycle's reputation may be applied with the
    ///      deliveries recorded so far: the escrow reports inside try/catch, so one lost report must
    ///      not freeze every later cycle (they are applied in order).
    /// @notice How long after a cycle's settlement deadline its reputation waits for missing reports.
    uint64 public constant RECORDING_GRACE = 7 days;

    /// @notice Who may post, and where reputations are recorded.
    IParticipantRegistry public immutable registry;
    /// @notice Holds the margins and prepayments and records the trades.
    IMarketEscrow public immutable escrow;

    uint256 private _cycleCount;
    uint256 private _lastApplied;
    uint64 private _alphaWad;
    FeeSchedule private _fees;
    mapping(uint32 pair => uint32 distance) private _distances;
    mapping(address provider => uint64 reputationWad) private _reputation;
    mapping(uint256 cycleId => CycleParams params) private _params;
    mapping(uint256 cycleId => CycleState state) private _state;
    mapping(uint256 cycleId => FeeSchedule fees) private _cycleFees;
    mapping(uint256 cycleId => BestAssignment best) private _best;
    mapping(uint256 cycleId => MatchingSettlement.Cursor cursor) private _cursor;
    mapping(uint256 cycleId => Offer[] offers) private _offers;
    mapping(uint256 cycleId => Request[] requests) private _requests;
    /// @dev index + 1, so 0 means "never posted"; kept after a cancel (one posting per cycle)
    mapping(uint256 cycleId => mapping(address provider => uint16 indexPlusOne)) private _offerOf;
    mapping(uint256 cycleId => mapping(address user => uint16 indexPlusOne)) private _requestOf;
    mapping(uint256 tradeId => MatchingSettlement.TradeRef ref) private _trades;

    constructor(address admin, IParticipantRegistry registry_, IMarketEscrow escrow_, uint64 alphaWad_) {
        registry = registry_;
        escrow = escrow_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
        _grantRole(ESCROW_ROLE, address(escrow_));
        _setAlpha(alphaWad_);
    }

    // ------------------------------------------------------------------ operator

    /// @inheritdoc IReputationMatching
    function openCycle(CycleParams calldata p) external onlyRole(OPERATOR_ROLE) returns (uint256 cycleId) {
        if (p.region != 0 && bytes(registry.regionName(p.region)).length == 0) revert MatchingInvalidParams("region");
        if (p.postingEnds <= block.timestamp) revert MatchingInvalidParams("postingEnds");
        if (p.submissionEnds <= p.postingEnds) revert MatchingInvalidParams("submissionEnds");
        // trades are created before delivery starts, so finalize needs time after submissionEnds
        if (p.deliveryStart <= p.submissionEnds) revert MatchingInvalidParams("deliveryStart");
        if (p.deliveryEnd <= p.deliveryStart) revert MatchingInvalidParams("deliveryEnd");
        if (p.settlementDeadline < p.deliveryEnd) revert MatchingInvalidParams("settlementDeadline");
        if (p.requestCap == 0 || p.requestCap > MAX_REQUESTS) revert MatchingInvalidParams("requestCap");
        if (p.offerCap == 0 || p.offerCap > MAX_OFFERS) revert MatchingInvalidParams("offerCap");
        // every offer and request backs its promise with a margin (SPEC section 2)
        if (p.margin == 0) revert MatchingInvalidParams("margin");

        cycleId = ++_cycleCount;
        _params[cycleId] = p;
        _state[cycleId].alphaWad = _alphaWad;
        _cycleFees[cycleId] = _fees;
        emit CycleOpened(cycleId, p, _alphaWad, _fees);
    }

    /// @inheritdoc IReputationMatching
    function setAlpha(uint64 alphaWad_) external onlyRole(OPERATOR_ROLE) {
        _setAlpha(alphaWad_);
    }

    /// @inheritdoc IReputationMatching
    function setFees(uint8 voltageLevel, uint64 baseFeePerKwh, uint64 distanceFeePerKwh) external onlyRole(OPERATOR_ROLE) {
        if (voltageLevel == 0 || voltageLevel > MAX_VOLTAGE_LEVEL) revert MatchingInvalidParams("voltageLevel");
        _fees.baseFeePerKwh[voltageLevel] = baseFeePerKwh;
        _fees.distanceFeePerKwh[voltageLevel] = distanceFeePerKwh;
        emit FeesSet(voltageLevel, baseFeePerKwh, distanceFeePerKwh);
    }

    /// @inheritdoc IReputationMatching
    /// @dev Read live by every cycle (a table cannot be snapshotted per cycle): change distances
    ///      outside submission windows, or submissions before and after the change rank on different fees.
    function setRegionDistance(uint16 regionA, uint16 regionB, uint32 distance) external onlyRole(OPERATOR_ROLE) {
        if (regionA == regionB) revert MatchingInvalidParams("regions");
        _distances[AssignmentCheck.pairKey(regionA, regionB)] = distance;
        emit RegionDistanceSet(regionA, regionB, distance);
    }

    // ------------------------------------------------------------------ participants

    /// @inheritdoc IReputationMatching
    /// @dev The offer snapshots the provider's reputation (micro units), region and voltage level now.
    function postOffer(uint256 cycleId, uint64 pricePerKwh, uint64 capacityWh) external nonReentrant returns (uint16 offer) {
        CycleParams storage p = _postingParams(cycleId);
        if (pricePerKwh == 0) revert MatchingZeroPrice();
        if (capacityWh == 0) revert MatchingZeroEnergy();
        (uint16 region, uint8 level) = _admit(cycleId, p.region, true);
        Offer[] storage offers = _offers[cycleId];
        if (offers.length >= p.offerCap) revert MatchingOfferCapReached(cycleId, p.offerCap);

        offer = uint16(offers.length);
        // RC <= 1e18, so RC in micro units <= 1e6 fits uint32
        uint32 rcMicro = uint32(ReputationMath.toMicro(_reputation[msg.sender]));
        offers.push(
            Offer({
                pricePerKwh: pricePerKwh,
                capacityWh: capacityWh,
                rcMicro: rcMicro,
                region: region,
                voltageLevel: level,
                cancelled: false,
                deliveries: 0,
                provider: msg.sender,
                ratioSumWad: 0
            })
        );
        _offerOf[cycleId][msg.sender] = offer + 1;
        emit OfferPosted(cycleId, offer, msg.sender, pricePerKwh, capacityWh, rcMicro);
        escrow.lock(msg.sender, p.margin);
    }

    /// @inheritdoc IReputationMatching
    function postRequest(uint256 cycleId, uint64 energyWh, uint64 maxPricePerKwh)
        external
        nonReentrant
        returns (uint16 request)
    {
        CycleParams storage p = _postingParams(cycleId);
        if (energyWh == 0) revert MatchingZeroEnergy();
        if (maxPricePerKwh == 0) revert MatchingZeroPrice();
        (uint16 region, uint8 level) = _admit(cycleId, p.region, false);
        Request[] storage requests = _requests[cycleId];
        if (requests.length >= p.requestCap) revert MatchingRequestCapReached(cycleId, p.requestCap);

        request = uint16(requests.length);
        requests.push(
            Request({
                energyWh: energyWh,
                maxPricePerKwh: maxPricePerKwh,
                region: region,
                voltageLevel: level,
                cancelled: false,
                user: msg.sender
            })
        );
        _requestOf[cycleId][msg.sender] = request + 1;
        uint256 amount = MatchingSettlement.requestLock(p.margin, requests[request]);
        emit RequestPosted(cycleId, request, msg.sender, energyWh, maxPricePerKwh, amount);
        escrow.lock(msg.sender, amount);
    }

    /// @inheritdoc IReputationMatching
    function cancelOffer(uint256 cycleId) external nonReentrant {
        CycleParams storage p = _postingParams(cycleId);
        uint16 stored = _offerOf[cycleId][msg.sender];
        if (stored == 0) revert MatchingNoOffer(cycleId, msg.sender);
        Offer storage o = _offers[cycleId][stored - 1];
        if (o.cancelled) revert MatchingAlreadyCancelled(cycleId, msg.sender);
        o.cancelled = true;
        emit OfferCancelled(cycleId, stored - 1, msg.sender);
        escrow.unlock(msg.sender, p.margin);
    }

    /// @inheritdoc IReputationMatching
    function cancelRequest(uint256 cycleId) external nonReentrant {
        CycleParams storage p = _postingParams(cycleId);
        uint16 stored = _requestOf[cycleId][msg.sender];
        if (stored == 0) revert MatchingNoRequest(cycleId, msg.sender);
        Request storage r = _requests[cycleId][stored - 1];
        if (r.cancelled) revert MatchingAlreadyCancelled(cycleId, msg.sender);
        r.cancelled = true;
        emit RequestCancelled(cycleId, stored - 1, msg.sender);
        escrow.unlock(msg.sender, MatchingSettlement.requestLock(p.margin, r));
    }

    // ------------------------------------------------------------------ solvers

    /// @inheritdoc IReputationMatching
    /// @dev Ties keep the earlier submission: a solver that breaks ties off-chain in favour of trading
    ///      (see src/core/matching/toGap.ts) should post first, not last.
    function submitAssignment(uint256 cycleId, uint16[] calldata assignment) external returns (uint256 objective) {
        CycleParams storage p = _paramsOf(cycleId);
        if (block.timestamp < p.postingEnds || block.timestamp >= p.submissionEnds) {
            revert MatchingNotSubmissionWindow(cycleId, p.postingEnds, p.submissionEnds);
        }
        objective = _objective(cycleId, assignment);
        BestAssignment storage best = _best[cycleId];
        if (best.exists && objective <= best.objective) {
            emit AssignmentNotBetter(cycleId, msg.sender, objective, best.objective);
            return objective;
        }
        best.assignmentHash = keccak256(abi.encode(assignment));
        best.submitter = msg.sender;
        // objective <= MAX_REQUESTS * 1e6 (each M <= 1e6) fits uint64
        best.objective = uint64(objective);
        best.exists = true;
        emit AssignmentAccepted(cycleId, msg.sender, objective);
    }

    /// @inheritdoc IReputationMatching
    function objectiveOf(uint256 cycleId, uint16[] calldata assignment) external view returns (uint256) {
        _paramsOf(cycleId);
        return _objective(cycleId, assignment);
    }

    // ------------------------------------------------------------------ finalize

    /// @inheritdoc IReputationMatching
    /// @dev `assignment` must hash to the best submission, or be all GRID when nothing valid was
    ///      submitted (so funds never stay locked). Trades run at the provider's price r_j; the money
    ///      rules are in MatchingSettlement.
    function finalize(uint256 cycleId, uint16[] calldata assignment, uint32 maxSteps) external nonReentrant {
        if (maxSteps == 0) revert MatchingZeroSteps();
        CycleParams storage p = _paramsOf(cycleId);
        if (block.timestamp < p.submissionEnds) revert MatchingSubmissionOpen(cycleId, p.submissionEnds);
        CycleState storage s = _state[cycleId];
        if (s.finalized) revert MatchingAlreadyFinalized(cycleId);
        _requireAccepted(cycleId, assignment);

        MatchingSettlement.Cursor memory c = _cursor[cycleId];
        MatchingSettlement.Batch memory b;
        b.cycleId = cycleId;
        b.escrow = escrow;
        b.steps = maxSteps;
        b.trades = s.trades;
        b.margin = p.margin;
        MatchingSettlement.run(b, c, p, _offers[cycleId], _requests[cycleId], _trades, assignment);
        _cursor[cycleId] = c;
        s.trades = b.trades;
        if (c.stage == 2) {
            s.finalized = true;
            emit CycleFinalized(cycleId, b.trades);
        }
    }

    // ------------------------------------------------------------------ reputation

    /// @notice IReputationStore: the escrow reports a settled trade's delivery ratio. Reports for other
    /// markets are ignored; a trade counts once, for the cycle and provider finalize created it with.
    /// @dev Cheap and call-free: the escrow calls it under a gas cap (a few storage writes here).
    /// @param tradeId the escrow's trade id
    /// @param market the market that created the trade
    /// @param period its cycle
    /// @param provider its seller
    /// @param ratioWad delivered / agreed, in WAD
    function recordDelivery(uint256 tradeId, address market, uint64 period, address provider, uint256 ratioWad)
        external
        onlyRole(ESCROW_ROLE)
    {
        if (market != address(this)) return;
        MatchingSettlement.TradeRef memory ref = _trades[tradeId];
        if (!ref.open) revert MatchingUnknownTrade(tradeId);
        Offer storage o = _offers[ref.cycleId][ref.offer];
        if (ref.cycleId != period || o.provider != provider) revert MatchingTradeMismatch(tradeId, period, provider);
        if (ratioWad > WAD) revert MatchingRatioOutOfRange(tradeId, ratioWad);
        CycleState storage s = _state[period];
        if (s.reputationApplied) revert MatchingReputationApplied(period);
        delete _trades[tradeId];
        ++o.deliveries;
        // at most MAX_REQUESTS ratios of at most 1e18 each: below 2^96
        o.ratioSumWad += uint96(ratioWad);
        ++s.settled;
        emit DeliveryRecorded(period, tradeId, provider, ratioWad);
    }

    /// @inheritdoc IReputationMatching
    /// @dev Loop bound: the cycle's offers (<= offerCap), one registry call per provider with trades.
    function updateReputation(uint256 cycleId) external nonReentrant {
        CycleParams storage p = _paramsOf(cycleId);
        uint256 expected = _lastApplied + 1;
        if (cycleId != expected) revert MatchingReputationOrder(cycleId, expected);
        CycleState storage s = _state[cycleId];
        if (!s.finalized) revert MatchingNotFinalized(cycleId);
        uint64 graceEndsAt = p.settlementDeadline + RECORDING_GRACE;
        if (s.settled < s.trades && block.timestamp < graceEndsAt) {
            revert MatchingTradesUnsettled(cycleId, s.settled, s.trades, graceEndsAt);
        }
        _lastApplied = cycleId;
        s.reputationApplied = true;

        Offer[] storage offers = _offers[cycleId];
        uint256 alpha = s.alphaWad;
        uint32 updated;
        for (uint256 k = 0; k < offers.length; ++k) {
            Offer storage o = offers[k];
            uint256 count = o.deliveries;
            if (count == 0) continue; // no trades settled in this cycle: RC stays as it is
            address provider = o.provider;
            uint256 current = ReputationMath.meanWad(o.ratioSumWad, count);
            uint256 comprehensive = ReputationMath.emaWad(alpha, current, _reputation[provider]);
            // a convex combination of two values <= 1e18: fits uint64
            _reputation[provider] = uint64(comprehensive);
            ++updated;
            emit ReputationUpdated(provider, cycleId, current, comprehensive);
            registry.setReputation(provider, uint64(comprehensive));
        }
        emit ReputationApplied(cycleId, updated, s.settled, s.trades);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IReputationMatching
    function reputationOf(address provider) external view returns (uint256) {
        return _reputation[provider];
    }

    /// @inheritdoc IReputationMatching
    function lastAppliedCycle() external view returns (uint256) {
        return _lastApplied;
    }

    /// @inheritdoc IReputationMatching
    function cycleCount() external view returns (uint256) {
        return _cycleCount;
    }

    /// @inheritdoc IReputationMatching
    function params(uint256 cycleId) external view returns (CycleParams memory) {
        return _params[cycleId];
    }

    /// @inheritdoc IReputationMatching
    function cycleState(uint256 cycleId) external view returns (CycleState memory) {
        return _state[cycleId];
    }

    /// @inheritdoc IReputationMatching
    function cycleFees(uint256 cycleId) external view returns (FeeSchedule memory) {
        return _cycleFees[cycleId];
    }

    /// @inheritdoc IReputationMatching
    function phaseOf(uint256 cycleId) external view returns (Phase) {
        if (cycleId == 0 || cycleId > _cycleCount) return Phase.None;
        CycleState storage s = _state[cycleId];
        if (s.reputationApplied) return Phase.ReputationApplied;
        if (s.finalized) return Phase.Finalized;
        CycleParams storage p = _params[cycleId];
        if (block.timestamp < p.postingEnds) return Phase.Posting;
        if (block.timestamp < p.submissionEnds) return Phase.Submission;
        return Phase.Finalizing;
    }

    /// @inheritdoc IReputationMatching
    function bestAssignment(uint256 cycleId) external view returns (BestAssignment memory) {
        return _best[cycleId];
    }

    /// @inheritdoc IReputationMatching
    function offerCount(uint256 cycleId) external view returns (uint256) {
        return _offers[cycleId].length;
    }

    /// @inheritdoc IReputationMatching
    function requestCount(uint256 cycleId) external view returns (uint256) {
        return _requests[cycleId].length;
    }

    /// @inheritdoc IReputationMatching
    /// @dev Bounded by `limit` and by the cycle's offers (<= MAX_OFFERS).
    function offersPage(uint256 cycleId, uint256 offset, uint256 limit) external view returns (Offer[] memory page) {
        Offer[] storage offers = _offers[cycleId];
        uint256 end = _pageEnd(offers.length, offset, limit);
        page = new Offer[](end - offset);
        for (uint256 k = offset; k < end; ++k) {
            page[k - offset] = offers[k];
        }
    }

    /// @inheritdoc IReputationMatching
    /// @dev Bounded by `limit` and by the cycle's requests (<= MAX_REQUESTS).
    function requestsPage(uint256 cycleId, uint256 offset, uint256 limit) external view returns (Request[] memory page) {
        Request[] storage requests = _requests[cycleId];
        uint256 end = _pageEnd(requests.length, offset, limit);
        page = new Request[](end - offset);
        for (uint256 k = offset; k < end; ++k) {
            page[k - offset] = requests[k];
        }
    }

    /// @inheritdoc IReputationMatching
    function alphaWad() external view returns (uint64) {
        return _alphaWad;
    }

    /// @inheritdoc IReputationMatching
    function fees() external view returns (FeeSchedule memory) {
        return _fees;
    }

    /// @inheritdoc IReputationMatching
    function regionDistance(uint16 regionA, uint16 regionB) external view returns (uint32) {
        return regionA == regionB ? 0 : _distances[AssignmentCheck.pairKey(regionA, regionB)];
    }

    // ------------------------------------------------------------------ internal

    function _paramsOf(uint256 cycleId) private view returns (CycleParams storage) {
        if (cycleId == 0 || cycleId > _cycleCount) revert MatchingUnknownCycle(cycleId);
        return _params[cycleId];
    }

    function _postingParams(uint256 cycleId) private view returns (CycleParams storage p) {
        p = _paramsOf(cycleId);
        if (block.timestamp >= p.postingEnds) revert MatchingPostingClosed(cycleId, p.postingEnds);
    }

    /// @dev Qualification review and the one-posting-per-cycle rule; returns the registry snapshot.
    function _admit(uint256 cycleId, uint16 cycleRegion, bool asOffer) private view returns (uint16 region, uint8 level) {
        bool offered = _offerOf[cycleId][msg.sender] != 0;
        bool requested = _requestOf[cycleId][msg.sender] != 0;
        if (asOffer ? offered : requested) revert MatchingAlreadyPosted(cycleId, msg.sender);
        if (offered || requested) revert MatchingBothSides(cycleId, msg.sender);
        registry.requireEligible(msg.sender);
        IParticipantRegistry.Registration memory reg = registry.participant(msg.sender).registration;
        region = reg.region;
        level = reg.voltageLevel;
        if (cycleRegion != 0 && region != cycleRegion) revert MatchingWrongRegion(msg.sender, region, cycleRegion);
        if (level == 0 || level > MAX_VOLTAGE_LEVEL) revert MatchingInvalidVoltageLevel(msg.sender, level);
    }

    function _objective(uint256 cycleId, uint16[] calldata assignment) private view returns (uint256) {
        return
            AssignmentCheck.objective(_offers[cycleId], _requests[cycleId], _distances, _cycleFees[cycleId], assignment);
    }

    /// @dev The assignment must hash to the best submission, or be all GRID when there is none.
    function _requireAccepted(uint256 cycleId, uint16[] calldata assignment) private view {
        bytes32 accepted;
        BestAssignment storage best = _best[cycleId];
        if (best.exists) {
            accepted = best.assignmentHash;
        } else {
            uint16[] memory allGrid = new uint16[](_requests[cycleId].length);
            for (uint256 i = 0; i < allGrid.length; ++i) {
                allGrid[i] = GRID;
            }
            accepted = keccak256(abi.encode(allGrid));
        }
        bytes32 given = keccak256(abi.encode(assignment));
        if (given != accepted) revert MatchingAssignmentMismatch(cycleId, given, accepted);
    }

    function _pageEnd(uint256 length, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= length) return offset; // empty page
        return length - offset < limit ? length : offset + limit;
    }

    function _setAlpha(uint64 alphaWad_) private {
        if (alphaWad_ > WAD) revert MatchingInvalidParams("alphaWad");
        _alphaWad = alphaWad_;
        emit AlphaSet(alphaWad_);
    }
}
