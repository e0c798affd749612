// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEnergyEscrow} from "../interfaces/IEnergyEscrow.sol";

/// @title EscrowLedger
/// @notice The money side of the escrow: free and locked balances per account, locks per market, the honesty
/// reward pool, and the running totals behind the invariant
///     token.balanceOf(escrow) == totalFree + totalLocked + rewardPool.
/// @dev Every change of a balance goes through the internal functions below, which update the totals in the
///      same step. Tokens enter only in _pull (crediting what really arrived) and leave only in withdraw.
abstract contract EscrowLedger is IEnergyEscrow, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Two slots per account; `locked` includes what the account's open trades hold.
    struct Balance {
        uint256 free;
        uint256 locked;
    }

    IERC20 private immutable _token;

    mapping(address account => Balance balance) private _balances;
    mapping(address market => mapping(address account => uint256 amount)) private _lockedBy;
    uint256 private _totalFree;
    uint256 private _totalLocked;
    uint256 private _rewardPool;

    constructor(IERC20 token_) {
        if (address(token_) == address(0)) revert EscrowInvalidAddress(address(token_));
        _token = token_;
    }

    // ------------------------------------------------------------------ external: accounts

    /// @inheritdoc IEnergyEscrow
    function deposit(uint256 amount) external nonReentrant returns (uint256 credited) {
        credited = _depositFor(msg.sender, amount);
    }

    /// @inheritdoc IEnergyEscrow
    function depositFor(address account, uint256 amount) external nonReentrant returns (uint256 credited) {
        if (account == address(0)) revert EscrowInvalidAddress(account);
        credited = _depositFor(account, amount);
    }

    /// @inheritdoc IEnergyEscrow
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert EscrowZeroAmount();
        _debitFree(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IEnergyEscrow
    function fundRewards(uint256 amount) external nonReentrant returns (uint256 credited) {
        credited = _pull(msg.sender, amount);
        _rewardPool += credited;
        emit RewardsFunded(msg.sender, amount, credited);
    }

    /// @inheritdoc IEnergyEscrow
    /// @dev A token that shrinks balances (negative rebase) can leave less than is accounted; then nothing moves.
    function sweepSurplus() external nonReentrant returns (uint256 swept) {
        uint256 held = _token.balanceOf(address(this));
        uint256 accounted = _totalFree + _totalLocked + _rewardPool;
        if (held <= accounted) return 0;
        // unchecked: held > accounted was checked on the line above.
        unchecked {
            swept = held - accounted;
        }
        _rewardPool += swept;
        emit SurplusSwept(msg.sender, swept);
    }

    // ------------------------------------------------------------------ views

    /// @notice The settlement token (any ERC-20; fee-on-transfer tokens are credited what arrives).
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc IEnergyEscrow
    function freeBalanceOf(address account) external view returns (uint256) {
        return _balances[account].free;
    }

    /// @inheritdoc IEnergyEscrow
    function lockedBalanceOf(address account) external view returns (uint256) {
        return _balances[account].locked;
    }

    /// @inheritdoc IEnergyEscrow
    function lockedBy(address market, address account) external view returns (uint256) {
        return _lockedBy[market][account];
    }

    /// @inheritdoc IEnergyEscrow
    function totalFree() external view returns (uint256) {
        return _totalFree;
    }

    /// @inheritdoc IEnergyEscrow
    function totalLocked() external view returns (uint256) {
        return _totalLocked;
    }

    /// @inheritdoc IEnergyEscrow
    function rewardPool() public view returns (uint256) {
        return _rewardPool;
    }

    // ------------------------------------------------------------------ internal: the one path for balances

    function _depositFor(address account, uint256 amount) private returns (uint256 credited) {
        credited = _pull(msg.sender, amount);
        _credit(account, credited);
        emit Deposited(account, msg.sender, amount, credited);
    }

    /// @dev Pulls `amount` from `payer` and returns what really arrived (a fee-on-transfer token delivers less).
    ///      The transfer precedes the credit because the credit depends on it; nonReentrant guards the gap.
    function _pull(address payer, uint256 amount) private returns (uint256 received) {
        if (amount == 0) revert EscrowZeroAmount();
        uint256 before = _token.balanceOf(address(this));
        _token.safeTransferFrom(payer, address(this), amount);
        uint256 afterwards = _token.balanceOf(address(this));
        if (afterwards <= before) revert EscrowNothingReceived(amount);
        // unchecked: afterwards > before was checked on the line above.
        unchecked {
            received = afterwards - before;
        }
    }

    function _credit(address account, uint256 amount) internal {
        _balances[account].free += amount;
        _totalFree += amount;
    }

    function _debitFree(address account, uint256 amount) internal {
        Balance storage b = _balances[account];
        uint256 free = b.free;
        if (free < amount) revert EscrowInsufficientFree(account, free, amount);
        // unchecked: free >= amount (checked above) and _totalFree >= free, as _totalFree sums every free balance.
        unchecked {
            b.free = free - amount;
            _totalFree -= amount;
        }
    }

    /// @dev Free -> locked by `market`.
    function _lock(address market, address account, uint256 amount) internal {
        _debitFree(account, amount);
        _balances[account].locked += amount;
        _lockedBy[market][account] += amount;
        _totalLocked += amount;
        emit Locked(market, account, amount);
    }

    /// @dev Locked by `market` -> free.
    function _unlock(address market, address account, uint256 amount) internal {
        _takeFromMarketLock(market, account, amount);
        _balances[account].locked -= amount;
        _totalLocked -= amount;
        _credit(account, amount);
        emit Unlocked(market, account, amount);
    }

    /// @dev Locked by `market` -> held by a trade: stays in the account's locked balance, out of the market's reach.
    function _takeFromMarketLock(address market, address account, uint256 amount) internal {
        uint256 held = _lockedBy[market][account];
        if (held < amount) revert EscrowInsufficientLocked(market, account, held, amount);
        // unchecked: held >= amount was checked on the line above.
        unchecked {
            _lockedBy[market][account] = held - amount;
        }
    }

    /// @dev Held by a trade -> leaves the account's locked balance (settlement then credits it to its recipients).
    function _releaseLocked(address account, uint256 amount) internal {
        _balances[account].locked -= amount;
        _totalLocked -= amount;
    }

    /// @dev Takes up to `amount` out of the reward pool and returns what it could take.
    function _takeFromPool(uint256 amount) internal returns (uint256 taken) {
        uint256 pool = _rewardPool;
        taken = amount < pool ? amount : pool;
        // unchecked: taken <= pool by the line above.
        unchecked {
            _rewardPool = pool - taken;
        }
    }
}
