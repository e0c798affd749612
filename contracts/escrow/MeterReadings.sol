// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IEnergyEscrow} from "../interfaces/IEnergyEscrow.sol";

/// @title MeterReadings
/// @notice Signed meter readings (EIP-712, domain "GreenGrid EnergyEscrow" version "1"): signature and replay
/// checks, and the latest reading per trade and side. Whose device must have signed, and whether the trade takes
/// readings now, is the inheriting contract's decision.
/// @dev Twin of the typed data in src/core/meter.ts.
abstract contract MeterReadings is IEnergyEscrow, EIP712 {
    /// @notice EIP-712 type hash of a MeterReading.
    bytes32 public constant METER_READING_TYPEHASH =
        // EIP-712 needs the type string spelled out in full; it is hashed at compile time, so its length costs nothing.
        // solhint-disable-next-line gas-small-strings
        keccak256("MeterReading(uint256 tradeId,uint8 side,uint64 energyWh,uint64 sequence,uint256 chainId)");
    /// @notice MeterReading.side of the provider meter (rho, transmitted energy).
    uint8 public constant PROVIDER_SIDE = 0;
    /// @notice MeterReading.side of the user meter (gamma, consumed energy).
    uint8 public constant USER_SIDE = 1;

    mapping(uint256 tradeId => SideReading[2] bySide) private _readings;
    mapping(address device => uint64 sequence) private _lastSequence;

    constructor() EIP712("GreenGrid EnergyEscrow", "1") {}

    /// @inheritdoc IEnergyEscrow
    function readings(uint256 tradeId) external view returns (SideReading memory provider, SideReading memory user) {
        SideReading[2] storage r = _readings[tradeId];
        return (r[PROVIDER_SIDE], r[USER_SIDE]);
    }

    /// @notice The last sequence accepted from `device`, on any trade (0 before its first reading).
    /// @param device the meter device
    function lastSequence(address device) external view returns (uint64) {
        return _lastSequence[device];
    }

    /// @notice The EIP-712 digest a meter device signs for `reading` on this escrow and chain.
    /// @param reading the reading
    function readingDigest(MeterReading calldata reading) public view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        METER_READING_TYPEHASH,
                        reading.tradeId,
                        reading.side,
                        reading.energyWh,
                        reading.sequence,
                        reading.chainId
                    )
                )
            );
    }

    /// @dev The checks that need no trade: the reading is for this chain and names a side.
    function _checkReadingFields(MeterReading calldata reading) internal view {
        if (reading.chainId != block.chainid) revert EscrowWrongChain(block.chainid, reading.chainId);
        if (reading.side > USER_SIDE) revert EscrowInvalidSide(reading.side);
    }

    /// @dev Accepts `reading` if `device` signed it, its sequence is above the device's last (on any trade), and it
    ///      does not report less than the side's previous reading (meter values are cumulative per trade).
    function _acceptSignedReading(MeterReading calldata reading, bytes calldata signature, address device) internal {
        uint256 tradeId = reading.tradeId;
        uint8 side = reading.side;
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(readingDigest(reading), signature);
        if (err != ECDSA.RecoverError.NoError || signer != device) {
            revert EscrowWrongSigner(tradeId, side, device, signer);
        }
        uint64 last = _lastSequence[device];
        if (reading.sequence <= last) revert EscrowReplayedReading(device, reading.sequence, last);
        SideReading storage current = _readings[tradeId][side];
        if (current.reported && reading.energyWh < current.energyWh) {
            revert EscrowReadingDecreased(tradeId, side, current.energyWh, reading.energyWh);
        }

        _lastSequence[device] = reading.sequence;
        _readings[tradeId][side] = SideReading({
            energyWh: reading.energyWh,
            sequence: reading.sequence,
            submittedAt: uint64(block.timestamp),
            reported: true
        });
        emit ReadingAccepted(tradeId, side, device, reading.energyWh, reading.sequence);
    }

    function _sideReading(uint256 tradeId, uint8 side) internal view returns (SideReading storage) {
        return _readings[tradeId][side];
    }
}
