// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMarketEscrow} from "./IMarketEscrow.sol";

/// @title IEnergyEscrow
/// @notice Token escrow of the market: free and locked balances, margins and prepayments locked by market
/// contracts, trade records, EIP-712 signed meter readings, settlement (SPEC section 6), honesty rewards and
/// green certificates.
/// @dev Amounts are token base units. Energy is watt-hours (Wh); prices are token base units per kWh, so the cost
///      of E Wh at price r is E * r / 1000. Invariant: token.balanceOf(escrow) == totalFree + totalLocked +
///      rewardPool, where totalLocked includes what open trades hold.
interface IEnergyEscrow is IMarketEscrow {
    enum TradeStatus {
        None,
        Open,
        Settled
    }

    /// @notice A trade record. Packed into six slots (layout noted beside each group).
    /// @param prepayment costUp(energyWh, pricePerKwh): what the buyer prepaid, in token base units
    /// @param lossToleranceBps the operator's loss tolerance when the trade was created (tau = R * bps / 10000)
    /// @param reward the operator's honesty reward when the trade was created, in token base units
    struct Trade {
        address seller; // slot 0: 20 + 8 + 1 bytes
        uint64 period;
        TradeStatus status;
        address buyer; // slot 1: 20 + 8 + 2 bytes
        uint64 energyWh;
        uint16 lossToleranceBps;
        address market; // slot 2: 20 + 8 bytes
        uint64 deliveryStart;
        uint128 pricePerKwh; // slot 3: 16 + 8 + 8 bytes
        uint64 deliveryEnd;
        uint64 settlementDeadline;
        uint128 sellerMargin; // slot 4
        uint128 buyerMargin;
        uint128 prepayment; // slot 5
        uint128 reward;
    }

    /// @notice A meter's signed statement, EIP-712 typed data (domain "GreenGrid EnergyEscrow", version "1").
    /// @param side 0 = provider meter (rho, transmitted energy), 1 = user meter (gamma, consumed energy)
    /// @param energyWh cumulative energy of this trade measured so far, denominated in Wh
    /// @param sequence strictly increasing per meter device across all trades (replay protection)
    /// @param chainId the chain the reading is meant for (must equal block.chainid)
    struct MeterReading {
        uint256 tradeId;
        uint8 side;
        uint64 energyWh;
        uint64 sequence;
        uint256 chainId;
    }

    /// @notice The latest accepted reading of one side of a trade (one slot).
    struct SideReading {
        uint64 energyWh;
        uint64 sequence;
        uint64 submittedAt;
        bool reported;
    }

    /// @notice What settlement decided (three slots).
    /// @param providerWh rho as settled (0 when the provider meter stayed silent)
    /// @param userWh gamma as settled (rho when the user meter stayed silent)
    /// @param sellerPayment paid to the seller out of the prepayment
    /// @param buyerRefund returned to the buyer out of the prepayment (prepayment - sellerPayment)
    /// @param rewardPaid honesty reward credited to the seller so far
    /// @param rewardUnpaid honesty reward still owed because the pool was short
    struct Settlement {
        uint64 providerWh; // slot 0: 8 + 8 + 8 + 1 + 1 bytes
        uint64 userWh;
        uint64 settledAt;
        bool providerDefaulted;
        bool userDefaulted;
        uint128 sellerPayment; // slot 1
        uint128 buyerRefund;
        uint128 rewardPaid; // slot 2
        uint128 rewardUnpaid;
    }

    // ---------------------------------------------------------------- events
    event Deposited(address indexed account, address indexed payer, uint256 amountSent, uint256 amountCredited);
    event Withdrawn(address indexed account, uint256 amount);
    event Locked(address indexed market, address indexed account, uint256 amount);
    event Unlocked(address indexed market, address indexed account, uint256 amount);
    event RewardsFunded(address indexed funder, uint256 amountSent, uint256 amountCredited);
    event SurplusSwept(address indexed caller, uint256 amount);
    event TradeCreated(
        uint256 indexed tradeId,
        address indexed market,
        address indexed seller,
        address buyer,
        uint64 period,
        uint64 energyWh,
        uint128 pricePerKwh,
        uint256 prepayment
    );
    event ReadingAccepted(
        uint256 indexed tradeId,
        uint8 indexed side,
        address indexed device,
        uint64 energyWh,
        uint64 sequence
    );
    event TradeSettled(
        uint256 indexed tradeId,
        address indexed settledBy,
        uint256 providerWh,
        uint256 userWh,
        bool providerDefaulted,
        bool userDefaulted,
        uint256 sellerPayment,
        uint256 buyerRefund
    );
    /// @notice `amount` was credited to the free balance of `account` (a party's settlement account) by settlement.
    event PayoutCredited(uint256 indexed tradeId, address indexed account, uint256 amount);
    /// @notice A defaulting party's margin went to its counterparty.
    event MarginForfeited(uint256 indexed tradeId, address indexed from, address indexed to, uint256 amount);
    /// @notice The honesty reward of trade `tradeId` was credited to `account`, the seller's settlement account.
    event HonestyRewardPaid(uint256 indexed tradeId, address indexed account, uint256 amount);
    /// @notice The reward pool was short: `amount` stays owed to the seller of `tradeId` (see claimReward).
    event HonestyRewardUnpaid(uint256 indexed tradeId, address indexed account, uint256 amount);
    event DeliveryReported(
        uint256 indexed tradeId,
        address indexed market,
        uint64 period,
        address indexed provider,
        uint256 deliveredWh,
        uint256 agreedWh,
        uint256 ratioWad
    );
    event ReputationStoreFailed(uint256 indexed tradeId, address indexed store);
    event CertificatesDeferred(uint256 indexed tradeId, address indexed buyer, uint64 vintage, uint256 amountWh);
    event CertificatesClaimed(address indexed account, uint256 indexed vintage, address to, uint256 amountWh);
    event LossToleranceSet(uint16 lossToleranceBps);
    event RewardPerTradeSet(uint128 rewardPerTrade);
    event ReputationStoreSet(address store);

    // ---------------------------------------------------------------- errors
    error EscrowInvalidAddress(address value);
    error EscrowZeroAmount();
    error EscrowNothingReceived(uint256 amountSent);
    error EscrowInsufficientFree(address account, uint256 free, uint256 needed);
    error EscrowInsufficientLocked(address market, address account, uint256 locked, uint256 needed);
    error EscrowSelfTrade(address account);
    error EscrowZeroEnergy();
    error EscrowPrepaymentTooLow(uint256 prepayment, uint256 largestPayment);
    error EscrowInvalidSchedule(uint64 deliveryStart, uint64 deliveryEnd, uint64 settlementDeadline, uint256 timestamp);
    error EscrowUnknownTrade(uint256 tradeId);
    error EscrowAlreadySettled(uint256 tradeId);
    error EscrowNotSettleable(uint256 tradeId, uint256 timestamp, uint64 deliveryEnd, uint64 settlementDeadline);
    error EscrowWrongChain(uint256 expected, uint256 got);
    error EscrowInvalidSide(uint8 side);
    error EscrowWrongSigner(uint256 tradeId, uint8 side, address expected, address recovered);
    error EscrowReplayedReading(address device, uint64 sequence, uint64 lastSequence);
    error EscrowReadingOutsideWindow(
        uint256 tradeId,
        uint256 timestamp,
        uint64 deliveryStart,
        uint64 settlementDeadline
    );
    error EscrowReadingDecreased(uint256 tradeId, uint8 side, uint64 previousWh, uint64 energyWh);
    error EscrowBatchTooLarge(uint256 length, uint256 maxLength);
    error EscrowLengthMismatch(uint256 readings, uint256 signatures);
    error EscrowPageTooLarge(uint256 limit, uint256 maxLimit);
    error EscrowInvalidLossTolerance(uint16 lossToleranceBps, uint16 maxBps);
    error EscrowNothingToClaim(uint256 tradeId, uint256 unpaid, uint256 rewardPool);
    error EscrowNoPendingCertificates(address account, uint256 vintage);
    error EscrowInsufficientGas(uint256 available, uint256 needed);

    // ---------------------------------------------------------------- accounts
    /// @notice Pulls `amount` from the caller and credits what really arrived to the caller's free balance.
    /// @return credited base units credited (less than `amount` for a fee-on-transfer token)
    function deposit(uint256 amount) external returns (uint256 credited);

    /// @notice Pulls `amount` from the caller and credits what really arrived to `account`'s free balance.
    function depositFor(address account, uint256 amount) external returns (uint256 credited);

    /// @notice Sends `amount` of the caller's free balance to the caller.
    function withdraw(uint256 amount) external;

    /// @notice Pulls `amount` from the caller into the honesty-reward pool (anyone, typically the operator).
    function fundRewards(uint256 amount) external returns (uint256 credited);

    /// @notice Moves tokens sent to the escrow outside deposit/fundRewards into the reward pool, restoring the
    /// balance invariant as an equality.
    function sweepSurplus() external returns (uint256 swept);

    // ---------------------------------------------------------------- markets (MARKET_ROLE)
    // lock, unlock and createTrade are declared in IMarketEscrow.

    // ---------------------------------------------------------------- metering (anyone relays)
    function submitReading(MeterReading calldata reading, bytes calldata signature) external;

    /// @notice Submits up to MAX_BATCH readings; all or nothing.
    function submitReadings(MeterReading[] calldata readings, bytes[] calldata signatures) external;

    // ---------------------------------------------------------------- settlement (anyone)
    /// @notice Settles a trade once: when both readings are in and delivery has ended, or by anyone from the
    /// settlement deadline on, whatever readings exist.
    function settle(uint256 tradeId) external;

    /// @notice Settles up to MAX_BATCH trades; all or nothing.
    function settleBatch(uint256[] calldata tradeIds) external;

    /// @notice Pays an honesty reward left unpaid by a short pool, as far as the pool now allows.
    function claimReward(uint256 tradeId) external returns (uint256 paid);

    /// @notice Mints to `to` the caller's certificates of `vintage` that settlement could not deliver.
    function claimCertificates(uint256 vintage, address to) external returns (uint256 amountWh);

    // ---------------------------------------------------------------- operator (DEFAULT_ADMIN_ROLE)
    function setLossToleranceBps(uint16 lossToleranceBps) external;
    function setRewardPerTrade(uint128 rewardPerTrade) external;
    function setReputationStore(address store) external;

    // ---------------------------------------------------------------- views
    function freeBalanceOf(address account) external view returns (uint256);
    function lockedBalanceOf(address account) external view returns (uint256);
    function lockedBy(address market, address account) external view returns (uint256);
    function totalFree() external view returns (uint256);
    function totalLocked() external view returns (uint256);
    function rewardPool() external view returns (uint256);
    function lossToleranceBps() external view returns (uint16);
    function rewardPerTrade() external view returns (uint128);
    function reputationStore() external view returns (address);
    function trade(uint256 tradeId) external view returns (Trade memory);
    function tradeCount() external view returns (uint256);
    function tradesPage(uint256 offset, uint256 limit) external view returns (Trade[] memory trades);
    function readings(uint256 tradeId) external view returns (SideReading memory provider, SideReading memory user);
    function settlementOf(uint256 tradeId) external view returns (Settlement memory);
    function lastSequence(address device) external view returns (uint64);
    function dueTrades(uint256 offset, uint256 limit) external view returns (uint256[] memory tradeIds);
    function pendingCertificates(address account, uint256 vintage) external view returns (uint256);
    function readingDigest(MeterReading calldata reading) external view returns (bytes32);
}
