// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SettlementMath} from "../libraries/SettlementMath.sol";

/// @notice Exposes SettlementMath to tests (the TypeScript twin is checked against it).
contract SettlementMathHarness {
    function costUp(uint256 energyWh, uint256 pricePerKwh) external pure returns (uint256) {
        return SettlementMath.costUp(energyWh, pricePerKwh);
    }

    function costDown(uint256 energyWh, uint256 pricePerKwh) external pure returns (uint256) {
        return SettlementMath.costDown(energyWh, pricePerKwh);
    }

    function lossToleranceWh(uint256 agreedWh, uint256 lossToleranceBps) external pure returns (uint256) {
        return SettlementMath.lossToleranceWh(agreedWh, lossToleranceBps);
    }

    function settle(SettlementMath.Input calldata input) external pure returns (SettlementMath.Outcome memory) {
        return SettlementMath.settle(input);
    }
}
