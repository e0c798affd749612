// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IDoubleAuction} from "./interfaces/IDoubleAuction.sol";
import {IMarketEscrow} from "./interfaces/IMarketEscrow.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {AuctionClearing} from "./libraries/AuctionClearing.sol";

/// @title DoubleAuction
/// @notice Paper A's market: one order per participant per period, rounds of quote revisions
/// toward a Nash equilibrium, a verified uniform-price clearing, and bilateral trades in the escrow.
/// @dev Gas bounds: every loop runs over at most the period's orderCap (<= MAX_ORDER_CAP) orders;
///      the on-chain sort runs only up to ON_CHAIN_SORT_CAP orders; finalize runs at most
///      `maxSteps` trades or releases per call and resumes where it stopped.
contract DoubleAuction is IDoubleAuction, AccessControl, ReentrancyGuardTransient {
    /// @notice Opens periods.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @dev Every round of a period must clear in one transaction: the closing round costs about
    ///      69k + 2.9k gas per order (npm run bench), so 4,096 orders need ~12M of the 16,777,216 gas a
    ///      transaction may use (EIP-7825), leaving room for the costliest books.
    /// @notice The largest order cap a period may have.
    uint32 public constant MAX_ORDER_CAP = 4_096;
    /// @notice The largest book sortedMeritOrders sorts on chain.
    uint256 public constant ON_CHAIN_SORT_CAP = 64;
    uint256 private constant _WH_PER_KWH = 1000;

    /// @notice Who may trade.
    IParticipantRegistry public immutable registry;
    /// @notice Holds the margins and prepayments and records the trades.
    IMarketEscrow public immutable escrow;

    /// @dev Where finalize stopped: merit positions and Wh already traded by the current orders.
    struct Cursor {
        uint32 sellerPos;
        uint32 buyerPos;
        uint64 sellerDoneWh;
        uint64 buyerDoneWh;
        uint8 stage; // 0 trades, 1 release sellers, 2 release buyers, 3 done
        uint32 releasePos;
        uint32 trades;
        bool expired; // finalize reached the settlement deadline before every match became a trade
    }

    uint256 private _periodCount;
    mapping(uint256 periodId => PeriodParams params) private _params;
    mapping(uint256 periodId => PeriodState state) private _state;
    mapping(uint256 periodId => RoundResult result) private _result;
    mapping(uint256 periodId => bytes32 meritOrderHash) private _meritOrderHash;
    mapping(uint256 periodId => Cursor cursor) private _cursor;
    mapping(uint256 periodId => Order[] orders) private _orders;
    /// @dev order index + 1, so 0 means "no order"
    mapping(uint256 periodId => mapping(address participant => uint32 indexPlusOne)) private _orderOf;

    constructor(address admin, IParticipantRegistry registry_, IMarketEscrow escrow_) {
        registry = registry_;
        escrow = escrow_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
    }

    // ------------------------------------------------------------------ operator

    /// @notice Opens a trading period (OPERATOR_ROLE).
    /// @param p what the operator fixes (see PeriodParams)
    /// @return periodId the new period's id
    function openPeriod(PeriodParams calldata p) external onlyRole(OPERATOR_ROLE) returns (uint256 periodId) {
        if (p.tick == 0) revert AuctionInvalidParams("tick");
        if (p.feedInTariff == 0 || p.feedInTariff % p.tick != 0) revert AuctionInvalidParams("feedInTariff");
        if (p.retailTariff <= p.feedInTariff || p.retailTariff % p.tick != 0) revert AuctionInvalidParams("retailTariff");
        if (p.roundDuration == 0) revert AuctionInvalidParams("roundDuration");
        if (p.maxRounds < 2) revert AuctionInvalidParams("maxRounds");
        if (p.orderCap == 0 || p.orderCap > MAX_ORDER_CAP) revert AuctionInvalidParams("orderCap");
        // every order backs its promise with a margin (SPEC section 2)
        if (p.margin == 0) revert AuctionInvalidParams("margin");
        if (p.deliveryStart < block.timestamp || p.deliveryEnd <= p.deliveryStart) revert AuctionInvalidParams("delivery");
        if (p.settlementDeadline < p.deliveryEnd) revert AuctionInvalidParams("settlementDeadline");

        periodId = ++_periodCount;
        _params[periodId] = p;
        _state[periodId] = PeriodState({
            phase: Phase.Open,
            round: 1,
            roundEndsAt: uint64(block.timestamp + p.roundDuration),
            revisionsThisRound: 0,
            activeSellers: 0,
            activeBuyers: 0
        });
        emit PeriodOpened(periodId, p);
    }

    // ------------------------------------------------------------------ participants

    /// @notice Places the caller's order: an ask (Seller) or a bid (Buyer), in round 1 only. Its
    /// price is also its reservation: a seller never asks below it, a buyer never bids above it.
    /// Locks the margin, and for a bid the prepayment energy x retail tariff (rounded up: the escrow must
    /// never hold less than the buyer could owe).
    /// @param periodId the period
    /// @param side Seller (ask) or Buyer (bid)
    /// @param energyWh energy offered or wanted, denominated in Wh
    /// @param price the quote and reservation, in token base units per kWh
    /// @return orderIndex the order's index in the period
    function placeOrder(uint256 periodId, Side side, uint64 energyWh, uint64 price)
        external
        nonReentrant
        returns (uint32 orderIndex)
    {
        PeriodParams storage p = _openParams(periodId);
        PeriodState storage s = _state[periodId];
        if (s.round != 1) revert AuctionOrdersClosed(periodId, s.round);
        registry.requireEligible(msg.sender);
        if (p.region != 0) {
            uint16 region = registry.regionOf(msg.sender);
            if (region != p.region) revert AuctionWrongRegion(msg.sender, region, p.region);
        }
        uint32 existing = _orderOf[periodId][msg.sender];
        if (existing != 0) revert AuctionDuplicateOrder(periodId, msg.sender, existing - 1);
        if (energyWh == 0) revert AuctionZeroEnergy();
        _checkPrice(p, price);
        Order[] storage orders = _orders[periodId];
        if (orders.length >= p.orderCap) revert AuctionOrderCapReached(periodId, p.orderCap);

        orderIndex = uint32(orders.length);
        orders.push(
            Order({energyWh: energyWh, quote: price, firstQuote: price, side: side, cancelled: false, participant: msg.sender})
        );
        _orderOf[periodId][msg.sender] = orderIndex + 1;
        if (side == Side.Seller) ++s.activeSellers;
        else ++s.activeBuyers;
        emit OrderPlaced(periodId, orderIndex, msg.sender, side, energyWh, price);
        _lock(msg.sender, _lockedFor(p, orders[orderIndex]));
    }

    /// @notice Revises the caller's quote in rounds 2 and later, never beyond its reservation.
    /// @param periodId the period
    /// @param price the new quote, in token base units per kWh
    function revise(uint256 periodId, uint64 price) external {
        PeriodParams storage p = _openParams(periodId);
        PeriodState storage s = _state[periodId];
        if (s.round < 2) revert AuctionRevisionsNotOpen(periodId, s.round);
        if (block.timestamp >= s.roundEndsAt) revert AuctionRoundOver(periodId, s.roundEndsAt);
        uint32 index = _activeOrderIndex(periodId, msg.sender);
        Order storage order = _orders[periodId][index];
        _checkPrice(p, price);
        bool beyond = order.side == Side.Seller ? price < order.firstQuote : price > order.firstQuote;
        if (beyond) revert AuctionBeyondReservation(index, price, order.firstQuote);
        uint64 old = order.quote;
        if (price == old) revert AuctionQuoteUnchanged(index, price);
        order.quote = price;
        ++s.revisionsThisRound;
        emit QuoteRevised(periodId, s.round, index, old, price);
    }

    /// @notice Withdraws the caller's order before the first round closes; its locks are released.
    /// @param periodId the period
    function cancel(uint256 periodId) external nonReentrant {
        PeriodParams storage p = _openParams(periodId);
        PeriodState storage s = _state[periodId];
        if (s.round != 1) revert AuctionOrdersClosed(periodId, s.round);
        uint32 index = _activeOrderIndex(periodId, msg.sender);
        Order storage order = _orders[periodId][index];
        order.cancelled = true;
        delete _orderOf[periodId][msg.sender];
        if (order.side == Side.Seller) --s.activeSellers;
        else --s.activeBuyers;
        emit OrderCancelled(periodId, index, msg.sender);
        _unlock(msg.sender, _lockedFor(p, order));
    }

    // ------------------------------------------------------------------ rounds

    /// @notice Closes the current round with the merit orders of both sides (order indices), verified
    /// in one O(n) pass: any solver computes them off-chain, and sortedMeritOrders returns them for
    /// small books. Callable by the operator at any time, by anyone once the round's time is up.
    /// @param periodId the period
    /// @param sellers active sell orders in merit order
    /// @param buyers active buy orders in merit order
    function closeRound(uint256 periodId, uint32[] calldata sellers, uint32[] calldata buyers) external {
        PeriodState storage s = _state[periodId];
        RoundResult memory r = _clearRound(periodId, s, sellers, buyers);
        uint16 round = s.round;
        uint32 revisions = s.revisionsThisRound;
        _emitRoundClosed(periodId, round, r, r.market == MarketType.Seller ? buyers : sellers, revisions);
        if ((round > 1 && revisions == 0) || round >= _params[periodId].maxRounds || r.market == MarketType.Empty) {
            bytes32 hash = keccak256(abi.encode(sellers, buyers));
            _meritOrderHash[periodId] = hash;
            s.phase = Phase.Cleared;
            emit AuctionEnded(periodId, round, r.price, hash);
        } else {
            s.round = round + 1;
            s.roundEndsAt = uint64(block.timestamp + _params[periodId].roundDuration);
            s.revisionsThisRound = 0;
        }
    }

    /// @dev Checks who may close, verifies both merit orders, clears and stores the round's result.
    function _clearRound(uint256 periodId, PeriodState storage s, uint32[] calldata sellers, uint32[] calldata buyers)
        private
        returns (RoundResult memory r)
    {
        _openParams(periodId);
        if (block.timestamp < s.roundEndsAt && !hasRole(OPERATOR_ROLE, msg.sender)) {
            revert AuctionRoundNotOver(periodId, s.roundEndsAt);
        }
        Order[] storage orders = _orders[periodId];
        uint256 supplyWh = AuctionClearing.verify(orders, sellers, Side.Seller, s.activeSellers);
        uint256 demandWh = AuctionClearing.verify(orders, buyers, Side.Buyer, s.activeBuyers);
        r = AuctionClearing.clear(orders, sellers, buyers, supplyWh, demandWh);
        _result[periodId] = r;
    }

    function _emitRoundClosed(uint256 periodId, uint16 round, RoundResult memory r, uint32[] calldata longSide, uint32 revisions)
        private
    {
        uint32 marginalOrder = _orderAt(r.market, longSide, r.marginal);
        uint32 priceSetterOrder = _orderAt(r.market, longSide, r.priceSetter);
        emit RoundClosed(
            periodId,
            round,
            r.market,
            r.price,
            marginalOrder,
            priceSetterOrder,
            r.marginalAllocationWh,
            r.supplyWh,
            r.demandWh,
            revisions
        );
    }

    // ------------------------------------------------------------------ finalize

    /// @notice Turns the final result into bilateral trades and releases unmatched orders, at most
    /// `maxSteps` trades or releases per call; call again until PeriodFinalized. Anyone may call.
    /// @param periodId the period
    /// @param sellers the sellers' merit order committed when the auction ended
    /// @param buyers the buyers' merit order committed when the auction ended
    /// @param maxSteps the most trades or releases handled in this call
    function finalize(uint256 periodId, uint32[] calldata sellers, uint32[] calldata buyers, uint32 maxSteps)
        external
        nonReentrant
    {
        if (maxSteps == 0) revert AuctionZeroSteps();
        PeriodState storage s = _stateOf(periodId);
        if (s.phase != Phase.Cleared) revert AuctionWrongPhase(periodId, s.phase);
        bytes32 hash = keccak256(abi.encode(sellers, buyers));
        if (hash != _meritOrderHash[periodId]) revert AuctionMeritOrderMismatch(hash, _meritOrderHash[periodId]);

        Cursor memory c = _cursor[periodId];
        uint256 steps = maxSteps;
        if (c.stage == 0 && block.timestamp >= _params[periodId].settlementDeadline) {
            // The escrow refuses trades whose settlement deadline has passed: the matches not yet traded are
            // released instead, or their margins and prepayments would stay locked for ever.
            c.expired = true;
            c.stage = 1;
            c.releasePos = c.sellerPos;
        }
        if (c.stage == 0) steps = _createTrades(periodId, sellers, buyers, c, steps);
        if (c.stage == 1) steps = _release(periodId, sellers, Side.Seller, c, steps);
        if (c.stage == 2) _release(periodId, buyers, Side.Buyer, c, steps);
        _cursor[periodId] = c;
        if (c.stage == 3) {
            s.phase = Phase.Finalized;
            emit PeriodFinalized(periodId, c.trades);
        }
    }

    /// @dev One step of the two-pointer walk: the current seller and buyer and what they trade.
    struct Match {
        uint32 sellerIndex;
        uint32 buyerIndex;
        uint64 sellerAllocWh;
        uint64 buyerAllocWh;
        uint64 amountWh;
    }

    /// @dev Walks both merit orders with two pointers; each step creates one trade. A seller's
    ///      margin and a buyer's margin and prepayment are split over their trades by cumulative
    ///      energy, so the pieces add up exactly to what was locked for the matched energy.
    function _createTrades(uint256 periodId, uint32[] calldata sellers, uint32[] calldata buyers, Cursor memory c, uint256 steps)
        private
        returns (uint256)
    {
        RoundResult memory r = _result[periodId];
        Order[] storage orders = _orders[periodId];
        while (steps > 0 && c.sellerPos < sellers.length && c.buyerPos < buyers.length) {
            Match memory m;
            m.sellerIndex = sellers[c.sellerPos];
            m.buyerIndex = buyers[c.buyerPos];
            m.sellerAllocWh = AuctionClearing.allocationOf(r, Side.Seller, c.sellerPos, orders[m.sellerIndex].energyWh);
            m.buyerAllocWh = AuctionClearing.allocationOf(r, Side.Buyer, c.buyerPos, orders[m.buyerIndex].energyWh);
            if (m.sellerAllocWh == 0 || m.buyerAllocWh == 0) break; // allocations are a prefix of each merit order
            m.amountWh = uint64(Math.min(m.sellerAllocWh - c.sellerDoneWh, m.buyerAllocWh - c.buyerDoneWh));
            uint256 tradeId = _openTrade(periodId, r.price, m, c);
            emit TradeMatched(periodId, tradeId, m.sellerIndex, m.buyerIndex, m.amountWh, r.price);
            ++c.trades;
            c.sellerDoneWh += m.amountWh;
            c.buyerDoneWh += m.amountWh;
            if (c.sellerDoneWh == m.sellerAllocWh) {
                ++c.sellerPos;
                c.sellerDoneWh = 0;
            }
            if (c.buyerDoneWh == m.buyerAllocWh) {
                _refundPrepayment(periodId, orders[m.buyerIndex], m.buyerAllocWh, r.price);
                ++c.buyerPos;
                c.buyerDoneWh = 0;
            }
            --steps;
        }
        if (steps > 0) {
            c.stage = 1;
            c.releasePos = c.sellerPos;
        }
        return steps;
    }

    /// @dev Called before the cursor advances, so c.*DoneWh is what each order traded before this match.
    function _openTrade(uint256 periodId, uint64 price, Match memory m, Cursor memory c) private returns (uint256) {
        PeriodParams storage p = _params[periodId];
        Order[] storage orders = _orders[periodId];
        uint256 margin = p.margin;
        uint256 sellerAfter = c.sellerDoneWh + m.amountWh;
        uint256 buyerAfter = c.buyerDoneWh + m.amountWh;
        return escrow.createTrade(
            IMarketEscrow.TradeTerms({
                seller: orders[m.sellerIndex].participant,
                buyer: orders[m.buyerIndex].participant,
                period: uint64(periodId),
                energyWh: m.amountWh,
                pricePerKwh: price,
                deliveryStart: p.deliveryStart,
                deliveryEnd: p.deliveryEnd,
                settlementDeadline: p.settlementDeadline,
                // telescoping ceil: the pieces sum to costUp(buyerAlloc, price), and each piece
                // is at least costDown(amount, price), the most the seller can be paid for it
                prepayment: _costUp(buyerAfter, price) - _costUp(c.buyerDoneWh, price),
                sellerMargin: _share(margin, sellerAfter, m.sellerAllocWh) - _share(margin, c.sellerDoneWh, m.sellerAllocWh),
                buyerMargin: _share(margin, buyerAfter, m.buyerAllocWh) - _share(margin, c.buyerDoneWh, m.buyerAllocWh)
            })
        );
    }

    /// @dev Releases the locks of orders that trade nothing: the long side after m, or everyone
    ///      in an empty market. Positions before that point traded and were settled by trades. After an
    ///      expiry every order from the cursor on is released with what its trades did not take.
    function _release(uint256 periodId, uint32[] calldata ranked, Side side, Cursor memory c, uint256 steps)
        private
        returns (uint256)
    {
        RoundResult memory r = _result[periodId];
        Order[] storage orders = _orders[periodId];
        uint256 pos = c.releasePos;
        uint256 cursorPos = side == Side.Seller ? c.sellerPos : c.buyerPos;
        while (steps > 0 && pos < ranked.length) {
            Order storage order = orders[ranked[pos]];
            uint64 allocWh = AuctionClearing.allocationOf(r, side, pos, order.energyWh);
            if (allocWh == 0 || c.expired) {
                uint256 doneWh = pos == cursorPos ? (side == Side.Seller ? c.sellerDoneWh : c.buyerDoneWh) : 0;
                _releaseOrder(periodId, ranked[pos], order, allocWh, doneWh, r.price);
                --steps;
            }
            ++pos;
        }
        c.releasePos = uint32(pos);
        if (pos >= ranked.length) {
            ++c.stage;
            c.releasePos = side == Side.Seller ? c.buyerPos : 0;
        }
        return steps;
    }

    /// @dev Unlocks what an order's trades did not take: after `doneWh` of its allocation traded, they hold the
    ///      margin pieces (and, for a buyer, the prepayment pieces) that _openTrade split off, which telescope.
    function _releaseOrder(uint256 periodId, uint32 index, Order storage order, uint64 allocWh, uint256 doneWh, uint64 price)
        private
    {
        PeriodParams storage p = _params[periodId];
        uint256 amount = _lockedFor(p, order);
        if (doneWh != 0) {
            amount -= _share(p.margin, doneWh, allocWh);
            if (order.side == Side.Buyer) amount -= _costUp(doneWh, price);
        }
        emit OrderReleased(periodId, index, amount);
        _unlock(order.participant, amount);
    }

    /// @dev The buyer locked costUp(energy, retail tariff); its trades hold costUp(allocation, price).
    ///      Margins stay locked inside the trades.
    function _refundPrepayment(uint256 periodId, Order storage buyer, uint64 allocWh, uint64 price) private {
        uint256 locked = _costUp(buyer.energyWh, _params[periodId].retailTariff);
        uint256 used = _costUp(allocWh, price);
        _unlock(buyer.participant, locked - used);
    }

    // ------------------------------------------------------------------ views

    /// @notice How many periods were opened; ids run from 1 to this.
    function periodCount() external view returns (uint256) {
        return _periodCount;
    }

    /// @notice What the operator fixed for period `periodId`.
    /// @param periodId the period
    function params(uint256 periodId) external view returns (PeriodParams memory) {
        return _params[periodId];
    }

    /// @notice Progress of period `periodId`.
    /// @param periodId the period
    function state(uint256 periodId) external view returns (PeriodState memory) {
        return _state[periodId];
    }

    /// @notice The latest round result of period `periodId` (the final one once the auction ended).
    /// @param periodId the period
    function result(uint256 periodId) external view returns (RoundResult memory) {
        return _result[periodId];
    }

    /// @notice The hash of the merit orders committed when the auction of `periodId` ended.
    /// @param periodId the period
    function meritOrderHash(uint256 periodId) external view returns (bytes32) {
        return _meritOrderHash[periodId];
    }

    /// @notice How many orders period `periodId` received.
    /// @param periodId the period
    function orderCount(uint256 periodId) external view returns (uint256) {
        return _orders[periodId].length;
    }

    /// @notice Order `index` of period `periodId`.
    /// @param periodId the period
    /// @param index the order's index
    function orderAt(uint256 periodId, uint32 index) external view returns (Order memory) {
        return _orders[periodId][index];
    }

    /// @dev Bounded by `limit` (the caller pages through at most orderCap orders).
    /// @notice Orders of period `periodId` by index, one page at a time.
    /// @param periodId the period
    /// @param offset index of the first order
    /// @param limit page size
    /// @return page the orders of the page
    function ordersPage(uint256 periodId, uint256 offset, uint256 limit) external view returns (Order[] memory page) {
        Order[] storage orders = _orders[periodId];
        uint256 end = Math.min(orders.length, offset + limit);
        if (offset >= end) return new Order[](0);
        page = new Order[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            page[i - offset] = orders[i];
        }
    }

    /// @notice The caller's order index, or reverts when it has none.
    /// @param periodId the period
    /// @param participant whose order
    function orderIndexOf(uint256 periodId, address participant) external view returns (uint32) {
        return _activeOrderIndex(periodId, participant);
    }

    /// @notice Merit orders sorted on chain, for books up to ON_CHAIN_SORT_CAP orders: what closeRound and
    /// finalize need, for small markets without an off-chain solver.
    /// @param periodId the period
    /// @return sellers active sell orders in merit order
    /// @return buyers active buy orders in merit order
    function sortedMeritOrders(uint256 periodId) external view returns (uint32[] memory sellers, uint32[] memory buyers) {
        PeriodState storage s = _stateOf(periodId);
        uint256 active = uint256(s.activeSellers) + s.activeBuyers;
        if (active > ON_CHAIN_SORT_CAP) revert AuctionBookTooLargeToSort(active, ON_CHAIN_SORT_CAP);
        Order[] storage orders = _orders[periodId];
        sellers = AuctionClearing.sort(orders, Side.Seller, s.activeSellers);
        buyers = AuctionClearing.sort(orders, Side.Buyer, s.activeBuyers);
    }

    // ------------------------------------------------------------------ internal

    function _stateOf(uint256 periodId) private view returns (PeriodState storage s) {
        s = _state[periodId];
        if (s.phase == Phase.None) revert AuctionUnknownPeriod(periodId);
    }

    function _openParams(uint256 periodId) private view returns (PeriodParams storage) {
        PeriodState storage s = _stateOf(periodId);
        if (s.phase != Phase.Open) revert AuctionWrongPhase(periodId, s.phase);
        return _params[periodId];
    }

    function _activeOrderIndex(uint256 periodId, address participant) private view returns (uint32) {
        uint32 stored = _orderOf[periodId][participant];
        if (stored == 0) revert AuctionNoOrder(periodId, participant);
        return stored - 1;
    }

    function _checkPrice(PeriodParams storage p, uint64 price) private view {
        if (price < p.feedInTariff || price > p.retailTariff) {
            revert AuctionPriceOutOfRange(price, p.feedInTariff, p.retailTariff);
        }
        if (price % p.tick != 0) revert AuctionPriceNotOnTick(price, p.tick);
    }

    /// @dev Margin, plus for a bid the prepayment at the retail tariff: in a buyer's market every buyer
    ///      buys its whole demand at the sellers' price (SPEC section 3), which may exceed its bid but
    ///      never the retail tariff, the grid's price it would pay otherwise. The excess is refunded
    ///      when its trades are created.
    function _lockedFor(PeriodParams storage p, Order storage order) private view returns (uint256) {
        uint256 amount = p.margin;
        if (order.side == Side.Buyer) amount += _costUp(order.energyWh, p.retailTariff);
        return amount;
    }

    /// @dev The escrow refuses zero amounts (a seller with no margin locks nothing).
    function _lock(address account, uint256 amount) private {
        if (amount > 0) escrow.lock(account, amount);
    }

    function _unlock(address account, uint256 amount) private {
        if (amount > 0) escrow.unlock(account, amount);
    }

    /// @dev Rounded up: what a buyer holds must cover what it may owe.
    function _costUp(uint256 energyWh, uint256 pricePerKwh) private pure returns (uint256) {
        return Math.mulDiv(energyWh, pricePerKwh, _WH_PER_KWH, Math.Rounding.Ceil);
    }

    /// @dev floor(amount * part / whole); cumulative differences of it sum exactly to `amount`.
    function _share(uint256 amount, uint256 part, uint256 whole) private pure returns (uint256) {
        return Math.mulDiv(amount, part, whole);
    }

    /// @dev The order index at a merit position of the long side; type(uint32).max when there is none.
    function _orderAt(MarketType market, uint32[] calldata longSide, uint32 position) private pure returns (uint32) {
        if (market == MarketType.Empty || position >= longSide.length) return type(uint32).max;
        return longSide[position];
    }
}
