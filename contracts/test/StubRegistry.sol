// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IParticipantRegistry} from "../interfaces/IParticipantRegistry.sol";

/// @notice The few registry functions a market calls, answering what a test sets: used to reach a
/// market's defensive checks that the real registry never lets through (e.g. a voltage level of 4).
contract StubRegistry {
    uint16 public region = 1;
    uint8 public voltageLevel = 1;

    function setParticipant(uint16 region_, uint8 voltageLevel_) external {
        region = region_;
        voltageLevel = voltageLevel_;
    }

    function requireEligible(address) external view {}

    function regionName(uint16) external pure returns (string memory) {
        return "Any";
    }

    function participant(address) external view returns (IParticipantRegistry.Participant memory p) {
        p.status = IParticipantRegistry.Status.Approved;
        p.registration.region = region;
        p.registration.voltageLevel = voltageLevel;
    }

    function setReputation(address, uint64) external {}
}
