// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";

/// @title ParticipantRegistry
/// @notice Prosumer registration with qualification review, meter binding and per-participant ledger.
/// @dev Roles: DEFAULT_ADMIN_ROLE (operator: regions, default limit, role grants), REGULATOR_ROLE
///      (reviews), MARKET_ROLE (market and escrow contracts: trade counters, reputation).
contract ParticipantRegistry is IParticipantRegistry, AccessControl {
    /// @notice Reviews participants and meter rotations.
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    /// @notice Markets and escrow: trade counters and reputation.
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");

    /// @notice The most accounts participantsPage returns.
    uint256 public constant MAX_PAGE = 100;
    /// @dev Bounds regionIds(), the only view that returns every region.
    /// @notice The most regions the registry holds.
    uint256 public constant MAX_REGIONS = 256;
    /// @notice The longest display or region name, in bytes.
    uint256 public constant MAX_NAME_BYTES = 64;
    /// @notice The highest voltage level (3, high voltage).
    uint8 public constant MAX_VOLTAGE_LEVEL = 3;
    /// @notice The highest reputation, 1.0 in WAD.
    uint64 public constant REPUTATION_ONE = 1e18;

    mapping(address account => Participant record) private _participants;
    mapping(bytes32 meterId => address account) private _meterIdOwner;
    mapping(address device => address account) private _deviceOwner;
    mapping(uint16 region => string name) private _regionNames;
    address[] private _accounts;
    uint16[] private _regionIds;
    uint32 private _maxDefaults;

    constructor(address admin, address regulator, uint32 maxDefaults_, uint16[] memory regions, string[] memory names) {
        if (admin == address(0)) revert RegistryInvalidAddress(admin);
        if (regulator == address(0)) revert RegistryInvalidAddress(regulator);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGULATOR_ROLE, regulator);
        _setMaxDefaults(maxDefaults_);
        if (regions.length != names.length) revert RegistryLengthMismatch(regions.length, names.length);
        for (uint256 i = 0; i < regions.length; ++i) {
            _addRegion(regions[i], names[i]);
        }
    }

    // ------------------------------------------------------------------ prosumer

    /// @inheritdoc IParticipantRegistry
    /// @dev A rejected applicant may register again, which puts it back to Pending.
    function register(Registration calldata reg) external {
        address account = msg.sender;
        Participant storage p = _participants[account];
        Status status = p.status;
        if (status != Status.None && status != Status.Rejected) revert RegistryAlreadyRegistered(account, status);
        _validate(reg);

        if (status == Status.None) {
            _accounts.push(account);
            p.registeredAt = uint64(block.timestamp);
        } else {
            _releaseMeter(p);
        }
        _bindMeter(account, reg.meterId, reg.meterDevice);
        p.registration = reg;
        p.reasonCode = 0;
        p.pendingMeterDevice = address(0);
        _setStatus(account, p, Status.Pending, 0);
        emit ParticipantRegistered(account, reg.meterId, reg.meterDevice, reg.region);
    }

    /// @inheritdoc IParticipantRegistry
    function requestMeterRotation(address newDevice) external {
        Participant storage p = _registered(msg.sender);
        if (p.status == Status.Delisted) revert RegistryInvalidTransition(msg.sender, p.status, p.status);
        if (newDevice == address(0) || newDevice == p.registration.meterDevice) revert RegistryInvalidAddress(newDevice);
        address owner = _deviceOwner[newDevice];
        if (owner != address(0)) revert RegistryMeterDeviceTaken(newDevice, owner);
        p.pendingMeterDevice = newDevice;
        emit MeterRotationRequested(msg.sender, newDevice);
    }

    /// @inheritdoc IParticipantRegistry
    function cancelMeterRotation() external {
        Participant storage p = _registered(msg.sender);
        address pending = p.pendingMeterDevice;
        if (pending == address(0)) revert RegistryNoPendingRotation(msg.sender);
        p.pendingMeterDevice = address(0);
        emit MeterRotationCancelled(msg.sender, pending);
    }

    /// @inheritdoc IParticipantRegistry
    /// @dev Refused while trades are open: their payouts were agreed against the old account.
    function setSettlementAccount(address newAccount) external {
        Participant storage p = _registered(msg.sender);
        if (newAccount == address(0)) revert RegistryInvalidAddress(newAccount);
        if (p.status == Status.Delisted) revert RegistryInvalidTransition(msg.sender, p.status, p.status);
        if (p.openTrades != 0) revert RegistryOpenTrades(msg.sender, p.openTrades);
        p.registration.settlementAccount = newAccount;
        emit SettlementAccountChanged(msg.sender, newAccount);
    }

    // ------------------------------------------------------------------ regulator

    /// @inheritdoc IParticipantRegistry
    function approve(address account) external onlyRole(REGULATOR_ROLE) {
        _transition(account, Status.Pending, Status.Approved, 0);
    }

    /// @inheritdoc IParticipantRegistry
    function reject(address account, uint16 reasonCode) external onlyRole(REGULATOR_ROLE) {
        _transition(account, Status.Pending, Status.Rejected, reasonCode);
    }

    /// @inheritdoc IParticipantRegistry
    function suspend(address account, uint16 reasonCode) external onlyRole(REGULATOR_ROLE) {
        _transition(account, Status.Approved, Status.Suspended, reasonCode);
    }

    /// @inheritdoc IParticipantRegistry
    function reinstate(address account) external onlyRole(REGULATOR_ROLE) {
        _transition(account, Status.Suspended, Status.Approved, 0);
    }

    /// @inheritdoc IParticipantRegistry
    /// @dev The regulator may delist anyone; a participant may delist itself. Refused while trades are
    ///      open, so no counterparty is left without a performer. Frees the meter for a new owner.
    function delist(address account, uint16 reasonCode) external {
        if (account != msg.sender) _checkRole(REGULATOR_ROLE);
        Participant storage p = _registered(account);
        if (p.status == Status.Delisted) revert RegistryInvalidTransition(account, Status.Delisted, Status.Delisted);
        if (p.openTrades != 0) revert RegistryOpenTrades(account, p.openTrades);
        _releaseMeter(p);
        p.pendingMeterDevice = address(0);
        _setStatus(account, p, Status.Delisted, reasonCode);
    }

    /// @inheritdoc IParticipantRegistry
    /// @dev `expectedDevice` pins what the regulator reviewed, so a later re-request cannot slip through.
    ///      Refused while trades are open: their readings must come from the device bound when they were agreed.
    function approveMeterRotation(address account, address expectedDevice) external onlyRole(REGULATOR_ROLE) {
        Participant storage p = _registered(account);
        address pending = p.pendingMeterDevice;
        if (pending == address(0)) revert RegistryNoPendingRotation(account);
        if (pending != expectedDevice) revert RegistryRotationMismatch(account, pending, expectedDevice);
        if (p.openTrades != 0) revert RegistryOpenTrades(account, p.openTrades);
        address owner = _deviceOwner[pending];
        if (owner != address(0)) revert RegistryMeterDeviceTaken(pending, owner);

        address oldDevice = p.registration.meterDevice;
        delete _deviceOwner[oldDevice];
        _deviceOwner[pending] = account;
        p.registration.meterDevice = pending;
        p.pendingMeterDevice = address(0);
        emit MeterRotated(account, oldDevice, pending);
    }

    // ------------------------------------------------------------------ operator

    /// @inheritdoc IParticipantRegistry
    function addRegion(uint16 region, string calldata name) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _addRegion(region, name);
    }

    /// @inheritdoc IParticipantRegistry
    function setMaxDefaults(uint32 maxDefaults_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxDefaults(maxDefaults_);
    }

    // ------------------------------------------------------------------ markets

    /// @inheritdoc IParticipantRegistry
    function recordTradeOpened(address account) external onlyRole(MARKET_ROLE) {
        Participant storage p = _registered(account);
        uint32 open = p.openTrades + 1;
        p.openTrades = open;
        emit TradeOpened(account, open);
    }

    /// @inheritdoc IParticipantRegistry
    function recordTradeClosed(address account, uint128 pricePerKwh, bool defaulted) external onlyRole(MARKET_ROLE) {
        Participant storage p = _registered(account);
        uint32 open = p.openTrades;
        if (open == 0) revert RegistryNoOpenTrade(account);
        // unchecked: open > 0 was checked on the line above.
        unchecked {
            --open;
        }
        p.openTrades = open;
        ++p.completedTrades;
        if (defaulted) ++p.defaults;
        p.lastPricePerKwh = pricePerKwh;
        emit TradeClosed(account, pricePerKwh, defaulted, open);
    }

    /// @inheritdoc IParticipantRegistry
    function setReputation(address account, uint64 reputationWad) external onlyRole(MARKET_ROLE) {
        if (reputationWad > REPUTATION_ONE) revert RegistryReputationOutOfRange(reputationWad);
        _registered(account).reputationWad = reputationWad;
        emit ReputationUpdated(account, reputationWad);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IParticipantRegistry
    function participant(address account) external view returns (Participant memory) {
        return _participants[account];
    }

    /// @inheritdoc IParticipantRegistry
    function statusOf(address account) external view returns (Status) {
        return _participants[account].status;
    }

    /// @inheritdoc IParticipantRegistry
    function meterDeviceOf(address account) external view returns (address) {
        return _participants[account].registration.meterDevice;
    }

    /// @inheritdoc IParticipantRegistry
    function settlementAccountOf(address account) external view returns (address) {
        return _participants[account].registration.settlementAccount;
    }

    /// @inheritdoc IParticipantRegistry
    function regionOf(address account) external view returns (uint16) {
        return _participants[account].registration.region;
    }

    /// @inheritdoc IParticipantRegistry
    function isGreen(address account) external view returns (bool) {
        EnergySource s = _participants[account].registration.source;
        return s == EnergySource.Solar || s == EnergySource.Wind || s == EnergySource.Hydro || s == EnergySource.Biomass;
    }

    /// @inheritdoc IParticipantRegistry
    function eligibility(address account) public view returns (Eligibility) {
        Participant storage p = _participants[account];
        if (p.status == Status.Suspended) return Eligibility.Suspended;
        if (p.status != Status.Approved) return Eligibility.NotApproved;
        if (p.defaults >= _maxDefaults) return Eligibility.TooManyDefaults;
        return Eligibility.Eligible;
    }

    /// @inheritdoc IParticipantRegistry
    function isEligible(address account) external view returns (bool) {
        return eligibility(account) == Eligibility.Eligible;
    }

    /// @inheritdoc IParticipantRegistry
    function requireEligible(address account) external view {
        Eligibility e = eligibility(account);
        if (e != Eligibility.Eligible) revert RegistryNotEligible(account, e);
    }

    /// @inheritdoc IParticipantRegistry
    function participantCount() external view returns (uint256) {
        return _accounts.length;
    }

    /// @inheritdoc IParticipantRegistry
    /// @dev Bounded by MAX_PAGE; an offset past the end returns an empty page.
    function participantsPage(uint256 offset, uint256 limit) external view returns (address[] memory accounts) {
        if (limit > MAX_PAGE) revert RegistryPageTooLarge(limit, MAX_PAGE);
        uint256 total = _accounts.length;
        if (offset >= total) return new address[](0);
        uint256 end = offset + limit > total ? total : offset + limit;
        accounts = new address[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            accounts[i - offset] = _accounts[i];
        }
    }

    /// @inheritdoc IParticipantRegistry
    function regionName(uint16 region) external view returns (string memory) {
        return _regionNames[region];
    }

    /// @inheritdoc IParticipantRegistry
    /// @dev At most MAX_REGIONS entries.
    function regionIds() external view returns (uint16[] memory) {
        return _regionIds;
    }

    /// @inheritdoc IParticipantRegistry
    function maxDefaults() external view returns (uint32) {
        return _maxDefaults;
    }

    // ------------------------------------------------------------------ internal

    function _registered(address account) private view returns (Participant storage p) {
        p = _participants[account];
        if (p.status == Status.None) revert RegistryNotRegistered(account);
    }

    function _transition(address account, Status from, Status to, uint16 reasonCode) private {
        Participant storage p = _registered(account);
        if (p.status != from) revert RegistryInvalidTransition(account, p.status, to);
        _setStatus(account, p, to, reasonCode);
    }

    function _setStatus(address account, Participant storage p, Status to, uint16 reasonCode) private {
        Status from = p.status;
        p.status = to;
        p.reasonCode = reasonCode;
        emit StatusChanged(account, from, to, reasonCode);
    }

    function _validate(Registration calldata reg) private view {
        uint256 nameLength = bytes(reg.displayName).length;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert RegistryInvalidName(nameLength);
        if (reg.meterId == bytes32(0)) revert RegistryInvalidMeterId();
        if (reg.meterDevice == address(0)) revert RegistryInvalidAddress(reg.meterDevice);
        if (reg.settlementAccount == address(0)) revert RegistryInvalidAddress(reg.settlementAccount);
        if (bytes(_regionNames[reg.region]).length == 0) revert RegistryUnknownRegion(reg.region);
        if (reg.voltageLevel == 0 || reg.voltageLevel > MAX_VOLTAGE_LEVEL) {
            revert RegistryInvalidVoltageLevel(reg.voltageLevel);
        }
        if (reg.capacityW == 0) revert RegistryZeroCapacity();
    }

    function _bindMeter(address account, bytes32 meterId, address device) private {
        address idOwner = _meterIdOwner[meterId];
        if (idOwner != address(0)) revert RegistryMeterIdTaken(meterId, idOwner);
        address deviceOwner = _deviceOwner[device];
        if (deviceOwner != address(0)) revert RegistryMeterDeviceTaken(device, deviceOwner);
        _meterIdOwner[meterId] = account;
        _deviceOwner[device] = account;
    }

    function _releaseMeter(Participant storage p) private {
        delete _meterIdOwner[p.registration.meterId];
        delete _deviceOwner[p.registration.meterDevice];
    }

    function _addRegion(uint16 region, string memory name) private {
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert RegistryInvalidName(nameLength);
        if (bytes(_regionNames[region]).length != 0) revert RegistryRegionExists(region);
        if (_regionIds.length >= MAX_REGIONS) revert RegistryTooManyRegions(MAX_REGIONS);
        _regionNames[region] = name;
        _regionIds.push(region);
        emit RegionAdded(region, name);
    }

    function _setMaxDefaults(uint32 maxDefaults_) private {
        _maxDefaults = maxDefaults_;
        emit MaxDefaultsSet(maxDefaults_);
    }
}
