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
    /// @notice Tokens arrived for `account`'s free balance.
    /// @param account whose free balance was credited
    /// @param payer who sent the tokens
    /// @param amountSent what the payer sent
    /// @param amountCredited what really arrived and was credited
    event Deposited(address indexed account, address indexed payer, uint256 amountSent, uint256 amountCredited);
    /// @notice `account` withdrew part of its free balance.
    /// @param account the account paid
    /// @param amount the amount sent, in token base units
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice `market` locked part of `account`'s free balance.
    /// @param market the market holding the lock
    /// @param account whose balance is locked
    /// @param amount the amount locked
    event Locked(address indexed market, address indexed account, uint256 amount);
    /// @notice `market` returned part of its lock to `account`'s free balance.
    /// @param market the market that held the lock
    /// @param account whose balance is freed
    /// @param amount the amount returned
    event Unlocked(address indexed market, address indexed account, uint256 amount);
    /// @notice Tokens arrived for the honesty-reward pool.
    /// @param funder who sent them
    /// @param amountSent what the funder sent
    /// @param amountCredited what really arrived and went to the pool
    event RewardsFunded(address indexed funder, uint256 amountSent, uint256 amountCredited);
    /// @notice Tokens sent to the escrow outside deposit and fundRewards went to the reward pool.
    /// @param caller who swept
    /// @param amount the surplus swept
    event SurplusSwept(address indexed caller, uint256 amount);
    /// @notice A market created trade `tradeId`.
    /// @param tradeId the new trade
    /// @param market the market that agreed it
    /// @param seller the provider
    /// @param buyer the consumer
    /// @param period auction period or matching cycle
    /// @param energyWh agreed energy, denominated in Wh
    /// @param pricePerKwh agreed price, denominated in token base units per kWh
    /// @param prepayment what the buyer prepaid
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
    /// @notice A signed meter reading of trade `tradeId` was accepted.
    /// @param tradeId the trade
    /// @param side 0 provider meter, 1 user meter
    /// @param device the meter device that signed it
    /// @param energyWh cumulative energy measured, denominated in Wh
    /// @param sequence the device's sequence number
    event ReadingAccepted(
        uint256 indexed tradeId,
        uint8 indexed side,
        address indexed device,
        uint64 energyWh,
        uint64 sequence
    );
    /// @notice Trade `tradeId` was settled.
    /// @param tradeId the trade
    /// @param settledBy who called settle
    /// @param providerWh rho as settled
    /// @param userWh gamma as settled
    /// @param providerDefaulted whether the provider meter stayed silent
    /// @param userDefaulted whether the user meter stayed silent
    /// @param sellerPayment paid to the seller
    /// @param buyerRefund returned to the buyer
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
    /// @param tradeId the trade settled
    /// @param account the settlement account credited
    /// @param amount the amount credited
    event PayoutCredited(uint256 indexed tradeId, address indexed account, uint256 amount);
    /// @notice A defaulting party's margin went to its counterparty.
    /// @param tradeId the trade settled
    /// @param from the defaulting party
    /// @param to its counterparty
    /// @param amount the margin forfeited
    event MarginForfeited(uint256 indexed tradeId, address indexed from, address indexed to, uint256 amount);
    /// @notice The honesty reward of trade `tradeId` was credited to `account`, the seller's settlement account.
    /// @param tradeId the trade
    /// @param account the seller's settlement account
    /// @param amount the reward paid
    event HonestyRewardPaid(uint256 indexed tradeId, address indexed account, uint256 amount);
    /// @notice The reward pool was short: `amount` stays owed to the seller of `tradeId` (see claimReward).
    /// @param tradeId the trade
    /// @param account the seller's settlement account
    /// @param amount the reward still owed
    event HonestyRewardUnpaid(uint256 indexed tradeId, address indexed account, uint256 amount);
    /// @notice Settlement reported the delivery ratio of trade `tradeId` to the reputation store.
    /// @param tradeId the trade
    /// @param market the market that created it
    /// @param period its period or cycle
    /// @param provider the seller
    /// @param deliveredWh energy delivered as settled, denominated in Wh
    /// @param agreedWh energy agreed, denominated in Wh
    /// @param ratioWad deliveredWh / agreedWh in WAD, at most 1e18
    event DeliveryReported(
        uint256 indexed tradeId,
        address indexed market,
        uint64 period,
        address indexed provider,
        uint256 deliveredWh,
        uint256 agreedWh,
        uint256 ratioWad
    );
    /// @notice The reputation store refused or ran out of gas; settlement went on without it.
    /// @param tradeId the trade settled
    /// @param store the store that failed
    event ReputationStoreFailed(uint256 indexed tradeId, address indexed store);
    /// @notice The buyer could not receive its certificates; they wait for claimCertificates.
    /// @param tradeId the trade settled
    /// @param buyer the buyer owed the certificates
    /// @param vintage their vintage (the trade's period)
    /// @param amountWh green energy certified, denominated in Wh
    event CertificatesDeferred(uint256 indexed tradeId, address indexed buyer, uint64 vintage, uint256 amountWh);
    /// @notice `account` claimed its deferred certificates of `vintage`.
    /// @param account the buyer that claimed
    /// @param vintage their vintage
    /// @param to who received them
    /// @param amountWh green energy certified, denominated in Wh
    event CertificatesClaimed(address indexed account, uint256 indexed vintage, address to, uint256 amountWh);
    /// @notice The operator set the loss tolerance of trades created from now on.
    /// @param lossToleranceBps the tolerance, in basis points of the agreed energy
    event LossToleranceSet(uint16 lossToleranceBps);
    /// @notice The operator set the honesty reward of trades created from now on.
    /// @param rewardPerTrade the reward, in token base units
    event RewardPerTradeSet(uint128 rewardPerTrade);
    /// @notice The operator set where settlement reports delivery ratios.
    /// @param store the store (the zero address: none)
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
    /// @param amount what the caller sends, in token base units
    function deposit(uint256 amount) external returns (uint256 credited);

    /// @notice Pulls `amount` from the caller and credits what really arrived to `account`'s free balance.
    /// @param account whose free balance is credited
    /// @param amount what the caller sends, in token base units
    /// @return credited base units credited
    function depositFor(address account, uint256 amount) external returns (uint256 credited);

    /// @notice Sends `amount` of the caller's free balance to the caller.
    /// @param amount the amount to send, in token base units
    function withdraw(uint256 amount) external;

    /// @notice Pulls `amount` from the caller into the honesty-reward pool (anyone, typically the operator).
    /// @param amount what the caller sends, in token base units
    /// @return credited base units that reached the pool
    function fundRewards(uint256 amount) external returns (uint256 credited);

    /// @notice Moves tokens sent to the escrow outside deposit/fundRewards into the reward pool, restoring the
    /// balance invariant as an equality.
    /// @return swept the surplus moved into the pool
    function sweepSurplus() external returns (uint256 swept);

    // ---------------------------------------------------------------- markets (MARKET_ROLE)
    // lock, unlock and createTrade are declared in IMarketEscrow.

    // ---------------------------------------------------------------- metering (anyone relays)
    /// @notice Accepts a meter's signed reading of a trade (anyone may relay it).
    /// @param reading the reading, EIP-712 typed data
    /// @param signature the meter device's signature of readingDigest(reading)
    function submitReading(MeterReading calldata reading, bytes calldata signature) external;

    /// @notice Submits up to MAX_BATCH readings; all or nothing.
    /// @param readings the readings
    /// @param signatures one signature per reading
    function submitReadings(MeterReading[] calldata readings, bytes[] calldata signatures) external;

    // ---------------------------------------------------------------- settlement (anyone)
    /// @notice Settles a trade once: when both readings are in and delivery has ended, or by anyone from the
    /// settlement deadline on, whatever readings exist.
    /// @param tradeId the trade
    function settle(uint256 tradeId) external;

    /// @notice Settles up to MAX_BATCH trades; all or nothing.
    /// @param tradeIds the trades
    function settleBatch(uint256[] calldata tradeIds) external;

    /// @notice Pays an honesty reward left unpaid by a short pool, as far as the pool now allows.
    /// @param tradeId the trade whose reward is owed
    /// @return paid the amount paid now
    function claimReward(uint256 tradeId) external returns (uint256 paid);

    /// @notice Mints to `to` the caller's certificates of `vintage` that settlement could not deliver.
    /// @param vintage the vintage to claim
    /// @param to who receives the certificates
    /// @return amountWh green energy certified, denominated in Wh
    function claimCertificates(uint256 vintage, address to) external returns (uint256 amountWh);

    // ---------------------------------------------------------------- operator (DEFAULT_ADMIN_ROLE)
    /// @notice Sets the loss tolerance of trades created from now on.
    /// @param lossToleranceBps the tolerance, in basis points of the agreed energy
    function setLossToleranceBps(uint16 lossToleranceBps) external;
    /// @notice Sets the honesty reward of trades created from now on.
    /// @param rewardPerTrade the reward, in token base units
    function setRewardPerTrade(uint128 rewardPerTrade) external;
    /// @notice Sets where settlement reports delivery ratios (the zero address: nowhere).
    /// @param store the reputation store
    function setReputationStore(address store) external;

    // ---------------------------------------------------------------- views
    /// @notice What `account` may withdraw or have locked.
    /// @param account the account
    /// @return amount its free balance
    function freeBalanceOf(address account) external view returns (uint256 amount);
    /// @notice What markets and open trades hold of `account`'s funds.
    /// @param account the account
    /// @return amount its locked balance
    function lockedBalanceOf(address account) external view returns (uint256 amount);
    /// @notice What `market` holds locked of `account`'s funds (trades not included).
    /// @param market the market
    /// @param account the account
    /// @return amount the market's lock
    function lockedBy(address market, address account) external view returns (uint256 amount);
    /// @notice The sum of every free balance.
    /// @return amount the total
    function totalFree() external view returns (uint256 amount);
    /// @notice The sum of every locked balance, open trades included.
    /// @return amount the total
    function totalLocked() external view returns (uint256 amount);
    /// @notice Funds available for honesty rewards.
    /// @return amount the pool
    function rewardPool() external view returns (uint256 amount);
    /// @notice The loss tolerance of trades created from now on.
    /// @return bps the tolerance, in basis points
    function lossToleranceBps() external view returns (uint16 bps);
    /// @notice The honesty reward of trades created from now on.
    /// @return reward the reward, in token base units
    function rewardPerTrade() external view returns (uint128 reward);
    /// @notice Where settlement reports delivery ratios.
    /// @return store the store (the zero address: none)
    function reputationStore() external view returns (address store);
    /// @notice The record of trade `tradeId`.
    /// @param tradeId the trade
    /// @return record its record (status None when unknown)
    function trade(uint256 tradeId) external view returns (Trade memory record);
    /// @notice How many trades were created; ids run from 1 to this.
    /// @return count the number of trades
    function tradeCount() external view returns (uint256 count);
    /// @notice Trades by id, one page at a time.
    /// @param offset trades before this one are skipped (the first id is offset + 1)
    /// @param limit page size, at most MAX_SCAN
    /// @return trades the trades of the page
    function tradesPage(uint256 offset, uint256 limit) external view returns (Trade[] memory trades);
    /// @notice The latest accepted readings of trade `tradeId`.
    /// @param tradeId the trade
    /// @return provider the provider meter's reading
    /// @return user the user meter's reading
    function readings(uint256 tradeId) external view returns (SideReading memory provider, SideReading memory user);
    /// @notice What settlement decided for trade `tradeId`.
    /// @param tradeId the trade
    /// @return settlement zero until the trade is settled
    function settlementOf(uint256 tradeId) external view returns (Settlement memory settlement);
    /// @notice The highest sequence number accepted from meter `device`.
    /// @param device the meter device
    /// @return sequence the sequence (0: none yet)
    function lastSequence(address device) external view returns (uint64 sequence);
    /// @notice Open trades past their settlement deadline, scanning one page of ids.
    /// @param offset ids up to this one are skipped
    /// @param limit how many ids to scan, at most MAX_SCAN
    /// @return tradeIds the due trades among them
    function dueTrades(uint256 offset, uint256 limit) external view returns (uint256[] memory tradeIds);
    /// @notice Certificates of `vintage` owed to `account` that settlement could not deliver.
    /// @param account the buyer
    /// @param vintage the vintage
    /// @return amountWh green energy certified, denominated in Wh
    function pendingCertificates(address account, uint256 vintage) external view returns (uint256 amountWh);
    /// @notice The EIP-712 digest a meter device signs for `reading`.
    /// @param reading the reading
    /// @return digest the digest
    function readingDigest(MeterReading calldata reading) external view returns (bytes32 digest);
}
