// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IParticipantRegistry
/// @notice Registry of the market's prosumers: registration, qualification review by a regulator,
/// meter binding, and the ledger data that markets consult before they accept an order.
/// @dev A participant is identified by the account that registered it. Status machine:
///      Pending -> Approved | Rejected; Rejected -> Pending (by registering again);
///      Approved <-> Suspended; any registered status -> Delisted (final).
interface IParticipantRegistry {
    enum Status {
        None,
        Pending,
        Approved,
        Rejected,
        Suspended,
        Delisted
    }

    /// @notice What a participant generates with; Solar..Biomass count as green for certificates.
    enum EnergySource {
        None,
        Solar,
        Wind,
        Hydro,
        Biomass,
        Storage,
        Fossil
    }

    /// @notice Why a participant may not trade now (Eligible when it may).
    enum Eligibility {
        Eligible,
        NotApproved,
        Suspended,
        TooManyDefaults
    }

    /// @notice What a prosumer declares when registering.
    /// @param displayName human-readable name, 1..64 bytes
    /// @param meterId the smart meter's identifier (unique across the registry)
    /// @param meterDevice the address whose EIP-712 signatures count as this meter's readings
    /// @param region grid zone id, must be a region the operator has added
    /// @param voltageLevel 1 = low, 2 = medium, 3 = high voltage
    /// @param source the generation technology
    /// @param capacityW generation or consumption capacity, denominated in watts
    /// @param batteryWh battery capacity, denominated in watt-hours (0 = no battery)
    /// @param settlementAccount where payouts are credited
    struct Registration {
        string displayName;
        bytes32 meterId;
        address meterDevice;
        uint16 region;
        uint8 voltageLevel;
        EnergySource source;
        uint64 capacityW;
        uint64 batteryWh;
        address settlementAccount;
    }

    /// @notice The full record of a participant, as returned by views.
    struct Participant {
        Status status;
        uint16 reasonCode;
        Registration registration;
        address pendingMeterDevice;
        uint32 openTrades;
        uint32 completedTrades;
        uint32 defaults;
        uint128 lastPricePerKwh;
        uint64 reputationWad;
        uint64 registeredAt;
    }

    // ---------------------------------------------------------------- events
    event RegionAdded(uint16 indexed region, string name);
    event MaxDefaultsSet(uint32 maxDefaults);
    event ParticipantRegistered(address indexed account, bytes32 indexed meterId, address meterDevice, uint16 region);
    event StatusChanged(address indexed account, Status from, Status to, uint16 reasonCode);
    event MeterRotationRequested(address indexed account, address indexed newDevice);
    event MeterRotated(address indexed account, address indexed oldDevice, address indexed newDevice);
    event MeterRotationCancelled(address indexed account, address indexed device);
    event SettlementAccountChanged(address indexed account, address indexed newAccount);
    event TradeOpened(address indexed account, uint32 openTrades);
    event TradeClosed(address indexed account, uint128 pricePerKwh, bool defaulted, uint32 openTrades);
    event ReputationUpdated(address indexed account, uint64 reputationWad);

    // ---------------------------------------------------------------- errors
    error RegistryAlreadyRegistered(address account, Status status);
    error RegistryNotRegistered(address account);
    error RegistryInvalidTransition(address account, Status from, Status to);
    error RegistryUnknownRegion(uint16 region);
    error RegistryRegionExists(uint16 region);
    error RegistryTooManyRegions(uint256 maxRegions);
    error RegistryLengthMismatch(uint256 regions, uint256 names);
    error RegistryInvalidVoltageLevel(uint8 voltageLevel);
    error RegistryInvalidName(uint256 length);
    error RegistryInvalidMeterId();
    error RegistryInvalidAddress(address value);
    error RegistryZeroCapacity();
    error RegistryMeterIdTaken(bytes32 meterId, address owner);
    error RegistryMeterDeviceTaken(address device, address owner);
    error RegistryOpenTrades(address account, uint32 openTrades);
    error RegistryNoPendingRotation(address account);
    error RegistryRotationMismatch(address account, address pending, address expected);
    error RegistryNoOpenTrade(address account);
    error RegistryNotEligible(address account, Eligibility reason);
    error RegistryPageTooLarge(uint256 limit, uint256 maxLimit);
    error RegistryReputationOutOfRange(uint64 reputationWad);

    // ---------------------------------------------------------------- prosumer
    function register(Registration calldata registration) external;
    function requestMeterRotation(address newDevice) external;
    function cancelMeterRotation() external;
    function setSettlementAccount(address newAccount) external;

    // ---------------------------------------------------------------- regulator
    function approve(address account) external;
    function reject(address account, uint16 reasonCode) external;
    function suspend(address account, uint16 reasonCode) external;
    function reinstate(address account) external;
    function delist(address account, uint16 reasonCode) external;
    function approveMeterRotation(address account, address expectedDevice) external;

    // ---------------------------------------------------------------- operator
    function addRegion(uint16 region, string calldata name) external;
    function setMaxDefaults(uint32 maxDefaults) external;

    // ---------------------------------------------------------------- markets
    function recordTradeOpened(address account) external;
    function recordTradeClosed(address account, uint128 pricePerKwh, bool defaulted) external;
    function setReputation(address account, uint64 reputationWad) external;

    // ---------------------------------------------------------------- views
    function participant(address account) external view returns (Participant memory);
    function statusOf(address account) external view returns (Status);
    function meterDeviceOf(address account) external view returns (address);
    function settlementAccountOf(address account) external view returns (address);
    function regionOf(address account) external view returns (uint16);
    function isGreen(address account) external view returns (bool);
    function eligibility(address account) external view returns (Eligibility);
    function isEligible(address account) external view returns (bool);
    function requireEligible(address account) external view;
    function participantCount() external view returns (uint256);
    function participantsPage(uint256 offset, uint256 limit) external view returns (address[] memory accounts);
    function regionName(uint16 region) external view returns (string memory);
    function regionIds() external view returns (uint16[] memory);
    function maxDefaults() external view returns (uint32);
}
