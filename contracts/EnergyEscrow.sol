// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EscrowLedger} from "./escrow/EscrowLedger.sol";
import {MeterReadings} from "./escrow/MeterReadings.sol";
import {IEnergyEscrow} from "./interfaces/IEnergyEscrow.sol";
import {IMarketEscrow} from "./interfaces/IMarketEscrow.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {IGreenCertificate} from "./interfaces/IGreenCertificate.sol";
import {IReputationStore} from "./interfaces/IReputationStore.sol";
import {SettlementMath} from "./libraries/SettlementMath.sol";

/// @title EnergyEscrow
/// @notice Trades between a seller (provider) and a buyer (user) agreed by market contracts: margins and
/// prepayment held until settlement, EIP-712 signed meter readings, settlement by SPEC section 6, honesty rewards,
/// delivery ratios for reputation, and green certificates for the buyer.
/// @dev Roles: DEFAULT_ADMIN_ROLE (operator parameters, role grants), MARKET_ROLE (market contracts: locks and
///      trades). Needs MARKET_ROLE on the registry and MINTER_ROLE on the certificates. Balances live in
///      EscrowLedger, signature and replay checks in MeterReadings, formulas in SettlementMath.
contract EnergyEscrow is EscrowLedger, MeterReadings, AccessControl {
    /// @notice Markets: lock, unlock and create trades.
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");
    /// @dev Bounds submitReadings and settleBatch.
    /// @dev A batch must fit one transaction (16,777,216 gas, EIP-7825): a settlement costs up to ~300k
    ///      gas (reward, certificates, registry, capped reputation call), a reading ~71k.
    /// @notice The most readings or trades one batch call takes.
    uint256 public constant MAX_BATCH = 50;
    /// @dev Bounds tradesPage.
    /// @notice The most trades tradesPage returns.
    uint256 public constant MAX_PAGE = 100;
    /// @dev Bounds the ids dueTrades scans in one call.
    /// @notice The most ids dueTrades scans.
    uint256 public constant MAX_SCAN = 500;
    /// @notice The highest loss tolerance the operator may set, in basis points.
    uint16 public constant MAX_LOSS_TOLERANCE_BPS = 10_000;
    /// @dev Gas given to the reputation store and to a certificate mint; neither can block settlement.
    /// @notice Gas given to the reputation store's recordDelivery.
    uint256 public constant REPUTATION_GAS_LIMIT = 150_000;
    /// @notice Gas given to the certificate mint.
    uint256 public constant CERTIFICATE_GAS_LIMIT = 200_000;

    /// @notice Operator parameters passed to the constructor.
    struct Params {
        uint16 lossToleranceBps;
        uint128 rewardPerTrade;
    }

    IParticipantRegistry private immutable _registry;
    IGreenCertificate private immutable _certificates;

    uint16 private _lossToleranceBps; // slot: 2 + 16 bytes
    uint128 private _rewardPerTrade;
    address private _reputationStore;
    uint256 private _tradeCount;
    mapping(uint256 tradeId => Trade trade) private _trades;
    mapping(uint256 tradeId => Settlement settlement) private _settlements;
    mapping(address account => mapping(uint256 vintage => uint256 amountWh)) private _pendingCertificates;

    constructor(
        address admin,
        IParticipantRegistry registry_,
        IERC20 token_,
        IGreenCertificate certificates_,
        Params memory params
    ) EscrowLedger(token_) {
        if (admin == address(0)) revert EscrowInvalidAddress(admin);
        if (address(registry_) == address(0)) revert EscrowInvalidAddress(address(registry_));
        if (address(certificates_) == address(0)) revert EscrowInvalidAddress(address(certificates_));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _registry = registry_;
        _certificates = certificates_;
        _setLossToleranceBps(params.lossToleranceBps);
        _setRewardPerTrade(params.rewardPerTrade);
    }

    // ------------------------------------------------------------------ markets

    /// @inheritdoc IMarketEscrow
    function lock(address account, uint256 amount) external onlyRole(MARKET_ROLE) nonReentrant {
        if (amount == 0) revert EscrowZeroAmount();
        _lock(msg.sender, account, amount);
    }

    /// @inheritdoc IMarketEscrow
    function unlock(address account, uint256 amount) external onlyRole(MARKET_ROLE) nonReentrant {
        if (amount == 0) revert EscrowZeroAmount();
        _unlock(msg.sender, account, amount);
    }

    // One straight run of checks, effects and event; its length is the trade's fields, one per line.
    // solhint-disable function-max-lines
    /// @inheritdoc IMarketEscrow
    /// @dev Snapshots the loss tolerance and the reward, so later parameter changes do not alter agreed terms.
    function createTrade(
        TradeTerms calldata terms
    ) external onlyRole(MARKET_ROLE) nonReentrant returns (uint256 tradeId) {
        if (terms.seller == address(0)) revert EscrowInvalidAddress(terms.seller);
        if (terms.buyer == address(0)) revert EscrowInvalidAddress(terms.buyer);
        if (terms.seller == terms.buyer) revert EscrowSelfTrade(terms.seller);
        if (terms.energyWh == 0) revert EscrowZeroEnergy();
        if (
            terms.deliveryStart >= terms.deliveryEnd ||
            terms.deliveryEnd > terms.settlementDeadline ||
            terms.settlementDeadline <= block.timestamp
        ) {
            revert EscrowInvalidSchedule(
                terms.deliveryStart,
                terms.deliveryEnd,
                terms.settlementDeadline,
                block.timestamp
            );
        }
        // The market sizes the prepayment (it may split one order's rounded-up prepayment over several
        // trades); it must cover the largest payment the seller can receive, costDown(R, r).
        uint256 largestPayment = SettlementMath.costDown(terms.energyWh, terms.pricePerKwh);
        if (terms.prepayment < largestPayment) revert EscrowPrepaymentTooLow(terms.prepayment, largestPayment);
        uint128 prepayment = SafeCast.toUint128(terms.prepayment);
        uint128 sellerMargin = SafeCast.toUint128(terms.sellerMargin);
        uint128 buyerMargin = SafeCast.toUint128(terms.buyerMargin);
        _takeFromMarketLock(msg.sender, terms.seller, sellerMargin);
        _takeFromMarketLock(msg.sender, terms.buyer, uint256(buyerMargin) + prepayment);

        tradeId = ++_tradeCount;
        _trades[tradeId] = Trade({
            seller: terms.seller,
            period: terms.period,
            status: TradeStatus.Open,
            buyer: terms.buyer,
            energyWh: terms.energyWh,
            lossToleranceBps: _lossToleranceBps,
            market: msg.sender,
            deliveryStart: terms.deliveryStart,
            pricePerKwh: terms.pricePerKwh,
            deliveryEnd: terms.deliveryEnd,
            settlementDeadline: terms.settlementDeadline,
            sellerMargin: sellerMargin,
            buyerMargin: buyerMargin,
            prepayment: prepayment,
            reward: _rewardPerTrade
        });
        emit TradeCreated(
            tradeId,
            msg.sender,
            terms.seller,
            terms.buyer,
            terms.period,
            terms.energyWh,
            terms.pricePerKwh,
            prepayment
        );
        _registry.recordTradeOpened(terms.seller);
        _registry.recordTradeOpened(terms.buyer);
    }
    // solhint-enable function-max-lines

    // ------------------------------------------------------------------ metering

    /// @inheritdoc IEnergyEscrow
    function submitReading(MeterReading calldata reading, bytes calldata signature) external nonReentrant {
        _acceptReading(reading, signature);
    }

    /// @inheritdoc IEnergyEscrow
    function submitReadings(MeterReading[] calldata readings_, bytes[] calldata signatures) external nonReentrant {
        uint256 n = readings_.length;
        if (n > MAX_BATCH) revert EscrowBatchTooLarge(n, MAX_BATCH);
        if (n != signatures.length) revert EscrowLengthMismatch(n, signatures.length);
        // Bound: n <= MAX_BATCH.
        for (uint256 i = 0; i < n; ++i) {
            _acceptReading(readings_[i], signatures[i]);
        }
    }

    // ------------------------------------------------------------------ settlement

    /// @inheritdoc IEnergyEscrow
    function settle(uint256 tradeId) external nonReentrant {
        _settle(tradeId);
    }

    /// @inheritdoc IEnergyEscrow
    function settleBatch(uint256[] calldata tradeIds) external nonReentrant {
        uint256 n = tradeIds.length;
        if (n > MAX_BATCH) revert EscrowBatchTooLarge(n, MAX_BATCH);
        // Bound: n <= MAX_BATCH.
        for (uint256 i = 0; i < n; ++i) {
            _settle(tradeIds[i]);
        }
    }

    /// @inheritdoc IEnergyEscrow
    function claimReward(uint256 tradeId) external nonReentrant returns (uint256 paid) {
        Settlement storage s = _settlements[tradeId];
        uint256 unpaid = s.rewardUnpaid;
        uint256 pool = rewardPool();
        paid = _takeFromPool(unpaid);
        if (paid == 0) revert EscrowNothingToClaim(tradeId, unpaid, pool);
        // Both casts are exact: paid <= unpaid, which is a uint128, and rewardPaid + rewardUnpaid is the trade's
        // uint128 reward.
        s.rewardUnpaid = uint128(unpaid - paid);
        s.rewardPaid += uint128(paid);
        address seller = _trades[tradeId].seller;
        address account = _registry.settlementAccountOf(seller);
        _credit(account, paid);
        emit HonestyRewardPaid(tradeId, account, paid);
    }

    /// @inheritdoc IEnergyEscrow
    function claimCertificates(uint256 vintage, address to) external nonReentrant returns (uint256 amountWh) {
        if (to == address(0)) revert EscrowInvalidAddress(to);
        amountWh = _pendingCertificates[msg.sender][vintage];
        if (amountWh == 0) revert EscrowNoPendingCertificates(msg.sender, vintage);
        delete _pendingCertificates[msg.sender][vintage];
        emit CertificatesClaimed(msg.sender, vintage, to, amountWh);
        _certificates.mint(to, vintage, amountWh, 0);
    }

    // ------------------------------------------------------------------ operator

    /// @inheritdoc IEnergyEscrow
    function setLossToleranceBps(uint16 lossToleranceBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLossToleranceBps(lossToleranceBps_);
    }

    /// @inheritdoc IEnergyEscrow
    function setRewardPerTrade(uint128 rewardPerTrade_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRewardPerTrade(rewardPerTrade_);
    }

    /// @inheritdoc IEnergyEscrow
    /// @dev address(0) switches reporting off (DeliveryReported is emitted either way).
    function setReputationStore(address store) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _reputationStore = store;
        emit ReputationStoreSet(store);
    }

    // ------------------------------------------------------------------ views

    /// @notice The participant registry the escrow reports trades to.
    function registry() external view returns (IParticipantRegistry) {
        return _registry;
    }

    /// @notice The green certificate token the escrow mints.
    function certificates() external view returns (IGreenCertificate) {
        return _certificates;
    }

    /// @inheritdoc IEnergyEscrow
    function lossToleranceBps() external view returns (uint16) {
        return _lossToleranceBps;
    }

    /// @inheritdoc IEnergyEscrow
    function rewardPerTrade() external view returns (uint128) {
        return _rewardPerTrade;
    }

    /// @inheritdoc IEnergyEscrow
    function reputationStore() external view returns (address) {
        return _reputationStore;
    }

    /// @inheritdoc IEnergyEscrow
    /// @dev Status None for an id that was never created.
    function trade(uint256 tradeId) external view returns (Trade memory) {
        return _trades[tradeId];
    }

    /// @notice Trade ids run from 1 to tradeCount().
    function tradeCount() external view returns (uint256) {
        return _tradeCount;
    }

    /// @notice Trades with ids offset+1 .. offset+limit (fewer at the end); bounded by MAX_PAGE.
    /// @param offset trades before this one are skipped (the first id is offset + 1)
    /// @param limit page size, at most MAX_PAGE
    /// @return trades the trades of the page
    function tradesPage(uint256 offset, uint256 limit) external view returns (Trade[] memory trades) {
        if (limit > MAX_PAGE) revert EscrowPageTooLarge(limit, MAX_PAGE);
        uint256 end = _pageEnd(offset, limit);
        if (end <= offset) return new Trade[](0);
        trades = new Trade[](end - offset);
        // Bound: end - offset <= limit <= MAX_PAGE.
        for (uint256 i = offset; i < end; ++i) {
            trades[i - offset] = _trades[i + 1];
        }
    }

    /// @inheritdoc IEnergyEscrow
    function settlementOf(uint256 tradeId) external view returns (Settlement memory) {
        return _settlements[tradeId];
    }

    /// @notice Among ids offset+1 .. offset+limit, the open trades whose settlement deadline has passed: anyone
    /// may settle them now. Bounded by MAX_SCAN ids per call.
    /// @param offset ids up to this one are skipped
    /// @param limit how many ids to scan, at most MAX_SCAN
    /// @return tradeIds the due trades among them
    function dueTrades(uint256 offset, uint256 limit) external view returns (uint256[] memory tradeIds) {
        if (limit > MAX_SCAN) revert EscrowPageTooLarge(limit, MAX_SCAN);
        uint256 end = _pageEnd(offset, limit);
        if (end <= offset) return new uint256[](0);
        tradeIds = new uint256[](end - offset);
        uint256 found = 0;
        // Bound: end - offset <= limit <= MAX_SCAN.
        for (uint256 id = offset + 1; id <= end; ++id) {
            Trade storage t = _trades[id];
            if (t.status == TradeStatus.Open && block.timestamp >= t.settlementDeadline) {
                tradeIds[found] = id;
                ++found;
            }
        }
        // Shrink the array to the ids found: found <= its allocated length, so only the length word changes.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(tradeIds, found)
        }
    }

    /// @inheritdoc IEnergyEscrow
    function pendingCertificates(address account, uint256 vintage) external view returns (uint256) {
        return _pendingCertificates[account][vintage];
    }

    // ------------------------------------------------------------------ internal

    function _openTrade(uint256 tradeId) private view returns (Trade storage t) {
        t = _trades[tradeId];
        if (t.status == TradeStatus.None) revert EscrowUnknownTrade(tradeId);
        if (t.status == TradeStatus.Settled) revert EscrowAlreadySettled(tradeId);
    }

    function _pageEnd(uint256 offset, uint256 limit) private view returns (uint256) {
        uint256 total = _tradeCount;
        if (offset >= total) return offset;
        return total - offset < limit ? total : offset + limit;
    }

    /// @dev The trade's checks (open, within its reading window, the side's party's device); MeterReadings does
    ///      the rest.
    function _acceptReading(MeterReading calldata reading, bytes calldata signature) private {
        _checkReadingFields(reading);
        uint256 tradeId = reading.tradeId;
        Trade storage t = _openTrade(tradeId);
        if (block.timestamp < t.deliveryStart || block.timestamp >= t.settlementDeadline) {
            revert EscrowReadingOutsideWindow(tradeId, block.timestamp, t.deliveryStart, t.settlementDeadline);
        }
        address party = reading.side == PROVIDER_SIDE ? t.seller : t.buyer;
        _acceptSignedReading(reading, signature, _registry.meterDeviceOf(party));
    }

    function _settle(uint256 tradeId) private {
        Trade storage t = _openTrade(tradeId);
        SideReading storage provider = _sideReading(tradeId, PROVIDER_SIDE);
        SideReading storage user = _sideReading(tradeId, USER_SIDE);
        bool deliveredAndReported = provider.reported && user.reported && block.timestamp >= t.deliveryEnd;
        if (!deliveredAndReported && block.timestamp < t.settlementDeadline) {
            revert EscrowNotSettleable(tradeId, block.timestamp, t.deliveryEnd, t.settlementDeadline);
        }

        SettlementMath.Outcome memory o = SettlementMath.settle(
            SettlementMath.Input({
                agreedWh: t.energyWh,
                pricePerKwh: t.pricePerKwh,
                lossToleranceBps: t.lossToleranceBps,
                reward: t.reward,
                prepayment: t.prepayment,
                sellerMargin: t.sellerMargin,
                buyerMargin: t.buyerMargin,
                providerReported: provider.reported,
                providerWh: provider.energyWh,
                userReported: user.reported,
                userWh: user.energyWh
            })
        );
        address seller = t.seller;
        address buyer = t.buyer;
        address sellerAccount = _registry.settlementAccountOf(seller);
        address buyerAccount = _registry.settlementAccountOf(buyer);

        // Effects: the trade's funds leave the parties' locked balances and are credited by the outcome;
        // sellerCredit + buyerCredit == prepayment + both margins (SettlementMath.settle).
        t.status = TradeStatus.Settled;
        _releaseLocked(seller, t.sellerMargin);
        _releaseLocked(buyer, uint256(t.buyerMargin) + t.prepayment);
        _credit(sellerAccount, o.sellerCredit);
        _credit(buyerAccount, o.buyerCredit);
        uint256 rewardPaid = _takeFromPool(o.rewardDue);
        _credit(sellerAccount, rewardPaid);
        _recordSettlement(tradeId, o, rewardPaid);

        _emitSettlement(tradeId, t, o, sellerAccount, buyerAccount, rewardPaid);

        // Interactions, all with contracts the operator wired in.
        uint128 price = t.pricePerKwh;
        _registry.recordTradeClosed(seller, price, o.providerDefaulted);
        _registry.recordTradeClosed(buyer, price, o.userDefaulted);
        if (o.deliveredWh != 0 && _registry.isGreen(seller)) {
            _issueCertificates(tradeId, buyer, t.period, o.deliveredWh);
        }
        _reportDelivery(tradeId, t.market, t.period, seller, o.ratioWad);
    }

    function _recordSettlement(uint256 tradeId, SettlementMath.Outcome memory o, uint256 rewardPaid) private {
        // The casts are exact: rho and gamma come from uint64 readings, payment and refund are at most the
        // uint128 prepayment, and the reward amounts are at most the trade's uint128 reward.
        _settlements[tradeId] = Settlement({
            providerWh: uint64(o.rhoWh),
            userWh: uint64(o.gammaWh),
            settledAt: uint64(block.timestamp),
            providerDefaulted: o.providerDefaulted,
            userDefaulted: o.userDefaulted,
            sellerPayment: uint128(o.sellerPayment),
            buyerRefund: uint128(o.buyerRefund),
            rewardPaid: uint128(rewardPaid),
            rewardUnpaid: uint128(o.rewardDue - rewardPaid)
        });
    }

    function _emitSettlement(
        uint256 tradeId,
        Trade storage t,
        SettlementMath.Outcome memory o,
        address sellerAccount,
        address buyerAccount,
        uint256 rewardPaid
    ) private {
        emit TradeSettled(
            tradeId,
            msg.sender,
            o.rhoWh,
            o.gammaWh,
            o.providerDefaulted,
            o.userDefaulted,
            o.sellerPayment,
            o.buyerRefund
        );
        if (o.providerDefaulted && !o.userDefaulted) {
            emit MarginForfeited(tradeId, t.seller, buyerAccount, t.sellerMargin);
        }
        if (o.userDefaulted && !o.providerDefaulted) {
            emit MarginForfeited(tradeId, t.buyer, sellerAccount, t.buyerMargin);
        }
        emit PayoutCredited(tradeId, sellerAccount, o.sellerCredit);
        emit PayoutCredited(tradeId, buyerAccount, o.buyerCredit);
        if (rewardPaid != 0) emit HonestyRewardPaid(tradeId, sellerAccount, rewardPaid);
        if (o.rewardDue > rewardPaid) emit HonestyRewardUnpaid(tradeId, sellerAccount, o.rewardDue - rewardPaid);
        emit DeliveryReported(tradeId, t.market, t.period, t.seller, o.deliveredWh, t.energyWh, o.ratioWad);
    }

    /// @dev A buyer contract that rejects ERC-1155 (or runs out of the capped gas) must not block settlement:
    ///      the certificates then wait in pendingCertificates for claimCertificates.
    function _issueCertificates(uint256 tradeId, address buyer, uint64 vintage, uint256 amountWh) private {
        _requireGasFor(CERTIFICATE_GAS_LIMIT);
        // A successful mint needs nothing more; only its failure is handled.
        // solhint-disable-next-line no-empty-blocks
        try _certificates.mint{gas: CERTIFICATE_GAS_LIMIT}(buyer, vintage, amountWh, tradeId) {} catch {
            _pendingCertificates[buyer][vintage] += amountWh;
            emit CertificatesDeferred(tradeId, buyer, vintage, amountWh);
        }
    }

    /// @dev A failing or gas-hungry store must not block settlement: capped gas, failure reported by an event.
    function _reportDelivery(
        uint256 tradeId,
        address market,
        uint64 period,
        address provider,
        uint256 ratioWad
    ) private {
        address store = _reputationStore;
        if (store == address(0)) return;
        _requireGasFor(REPUTATION_GAS_LIMIT);
        IReputationStore reputation = IReputationStore(store);
        // A successful report needs nothing more; only its failure is handled.
        // solhint-disable-next-line no-empty-blocks
        try reputation.recordDelivery{gas: REPUTATION_GAS_LIMIT}(tradeId, market, period, provider, ratioWad) {} catch {
            emit ReputationStoreFailed(tradeId, store);
        }
    }

    /// @dev A call forwards at most 63/64 of the remaining gas (EIP-150). Without this check a caller could pick a
    ///      gas limit that starves the capped call and still lets settlement finish, silently skipping it.
    function _requireGasFor(uint256 callGas) private view {
        uint256 needed = callGas + callGas / 63 + 10_000;
        uint256 available = gasleft();
        if (available < needed) revert EscrowInsufficientGas(available, needed);
    }

    function _setLossToleranceBps(uint16 bps) private {
        if (bps > MAX_LOSS_TOLERANCE_BPS) revert EscrowInvalidLossTolerance(bps, MAX_LOSS_TOLERANCE_BPS);
        _lossToleranceBps = bps;
        emit LossToleranceSet(bps);
    }

    function _setRewardPerTrade(uint128 reward) private {
        _rewardPerTrade = reward;
        emit RewardPerTradeSet(reward);
    }
}
