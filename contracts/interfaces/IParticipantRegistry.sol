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
    /// @notice The operator added grid zone `region`.
    /// @param region the new region id
    /// @param name its human-readable name
    event RegionAdded(uint16 indexed region, string name);
    /// @notice The operator changed how many defaults make a participant ineligible.
    /// @param maxDefaults the new limit
    event MaxDefaultsSet(uint32 maxDefaults);
    /// @notice `account` registered (or registered again after a rejection) and awaits review.
    /// @param account the participant
    /// @param meterId its smart meter's identifier
    /// @param meterDevice the address that signs its meter readings
    /// @param region its grid zone
    event ParticipantRegistered(address indexed account, bytes32 indexed meterId, address meterDevice, uint16 region);
    /// @notice The status of `account` changed.
    /// @param account the participant
    /// @param from the status before
    /// @param to the status after
    /// @param reasonCode the regulator's reason (0 when none)
    event StatusChanged(address indexed account, Status from, Status to, uint16 reasonCode);
    /// @notice `account` asked to replace its meter device with `newDevice`.
    /// @param account the participant
    /// @param newDevice the device that awaits the regulator's approval
    event MeterRotationRequested(address indexed account, address indexed newDevice);
    /// @notice The regulator approved the rotation: readings of `account` are now signed by `newDevice`.
    /// @param account the participant
    /// @param oldDevice the device that no longer counts
    /// @param newDevice the device that counts from now on
    event MeterRotated(address indexed account, address indexed oldDevice, address indexed newDevice);
    /// @notice `account` withdrew its pending meter rotation.
    /// @param account the participant
    /// @param device the device it had proposed
    event MeterRotationCancelled(address indexed account, address indexed device);
    /// @notice Payouts of `account` go to `newAccount` from now on.
    /// @param account the participant
    /// @param newAccount its new settlement account
    event SettlementAccountChanged(address indexed account, address indexed newAccount);
    /// @notice A market opened a trade of `account`.
    /// @param account the participant
    /// @param openTrades its open trades now
    event TradeOpened(address indexed account, uint32 openTrades);
    /// @notice A trade of `account` was settled.
    /// @param account the participant
    /// @param pricePerKwh the trade's price, denominated in token base units per kWh
    /// @param defaulted whether `account` defaulted on it
    /// @param openTrades its open trades now
    event TradeClosed(address indexed account, uint128 pricePerKwh, bool defaulted, uint32 openTrades);
    /// @notice A market recorded a new reputation for `account`.
    /// @param account the participant
    /// @param reputationWad the reputation, in WAD (1e18 = 1.0)
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
    /// @notice Registers the caller as a prosumer; the regulator then approves or rejects it.
    /// @param registration what the prosumer declares (see Registration)
    function register(Registration calldata registration) external;
    /// @notice Asks to replace the caller's meter device; the regulator must approve it.
    /// @param newDevice the address that is to sign the caller's readings
    function requestMeterRotation(address newDevice) external;
    /// @notice Withdraws the caller's pending meter rotation.
    function cancelMeterRotation() external;
    /// @notice Sends the caller's future payouts to `newAccount`.
    /// @param newAccount the new settlement account
    function setSettlementAccount(address newAccount) external;

    // ---------------------------------------------------------------- regulator
    /// @notice Approves a pending participant: it may trade from now on.
    /// @param account the participant
    function approve(address account) external;
    /// @notice Rejects a pending participant; it may register again.
    /// @param account the participant
    /// @param reasonCode the regulator's reason
    function reject(address account, uint16 reasonCode) external;
    /// @notice Suspends an approved participant: it may not trade until reinstated.
    /// @param account the participant
    /// @param reasonCode the regulator's reason
    function suspend(address account, uint16 reasonCode) external;
    /// @notice Lifts the suspension of `account`.
    /// @param account the participant
    function reinstate(address account) external;
    /// @notice Delists `account` for good.
    /// @param account the participant
    /// @param reasonCode the reason
    function delist(address account, uint16 reasonCode) external;
    /// @notice Binds the device `account` asked for as its meter device.
    /// @param account the participant
    /// @param expectedDevice the device the regulator reviewed
    function approveMeterRotation(address account, address expectedDevice) external;

    // ---------------------------------------------------------------- operator
    /// @notice Adds a grid zone participants may register in.
    /// @param region the new region id
    /// @param name its human-readable name, 1..64 bytes
    function addRegion(uint16 region, string calldata name) external;
    /// @notice Sets how many defaults make a participant ineligible.
    /// @param maxDefaults the new limit
    function setMaxDefaults(uint32 maxDefaults) external;

    // ---------------------------------------------------------------- markets
    /// @notice Counts a trade of `account` as open (markets and escrow only).
    /// @param account the participant
    function recordTradeOpened(address account) external;
    /// @notice Counts a trade of `account` as closed (escrow only).
    /// @param account the participant
    /// @param pricePerKwh the trade's price, denominated in token base units per kWh
    /// @param defaulted whether `account` defaulted on it
    function recordTradeClosed(address account, uint128 pricePerKwh, bool defaulted) external;
    /// @notice Records the reputation a market computed for `account`.
    /// @param account the participant
    /// @param reputationWad the reputation, in WAD, at most 1e18
    function setReputation(address account, uint64 reputationWad) external;

    // ---------------------------------------------------------------- views
    /// @notice The full record of `account`.
    /// @param account the participant
    /// @return record its record (status None when never registered)
    function participant(address account) external view returns (Participant memory record);
    /// @notice The status of `account`.
    /// @param account the participant
    /// @return status its status
    function statusOf(address account) external view returns (Status status);
    /// @notice The address whose signatures count as readings of `account`'s meter.
    /// @param account the participant
    /// @return device its meter device
    function meterDeviceOf(address account) external view returns (address device);
    /// @notice Where payouts of `account` are credited.
    /// @param account the participant
    /// @return settlementAccount its settlement account
    function settlementAccountOf(address account) external view returns (address settlementAccount);
    /// @notice The grid zone of `account`.
    /// @param account the participant
    /// @return region its region id
    function regionOf(address account) external view returns (uint16 region);
    /// @notice Whether `account` generates with a green source (Solar..Biomass).
    /// @param account the participant
    /// @return green true for a green source
    function isGreen(address account) external view returns (bool green);
    /// @notice Whether `account` may trade now, and if not, why.
    /// @param account the participant
    /// @return reason Eligible, or why not
    function eligibility(address account) external view returns (Eligibility reason);
    /// @notice Whether `account` may trade now.
    /// @param account the participant
    /// @return eligible true when it may
    function isEligible(address account) external view returns (bool eligible);
    /// @notice Reverts with RegistryNotEligible unless `account` may trade now.
    /// @param account the participant
    function requireEligible(address account) external view;
    /// @notice How many accounts ever registered.
    /// @return count the number of registered accounts
    function participantCount() external view returns (uint256 count);
    /// @notice Registered accounts in registration order, one page at a time.
    /// @param offset index of the first account
    /// @param limit page size, at most MAX_PAGE
    /// @return accounts the accounts of the page (shorter at the end)
    function participantsPage(uint256 offset, uint256 limit) external view returns (address[] memory accounts);
    /// @notice The name of grid zone `region`.
    /// @param region the region id
    /// @return name its name (reverts for an unknown region)
    function regionName(uint16 region) external view returns (string memory name);
    /// @notice Every region id, in the order they were added.
    /// @return regions the region ids
    function regionIds() external view returns (uint16[] memory regions);
    /// @notice How many defaults make a participant ineligible.
    /// @return limit the limit
    function maxDefaults() external view returns (uint32 limit);
}
