// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IReputationStore} from "../interfaces/IReputationStore.sol";

/// @notice Test reputation store: records deliveries, or reverts, or burns all the gas it is given.
contract MockReputationStore is IReputationStore {
    enum Mode {
        Record,
        Revert,
        BurnGas
    }

    error MockStoreFailure();

    event DeliveryRecorded(uint256 tradeId, address market, uint64 period, address provider, uint256 ratioWad);

    Mode public mode;
    uint256 public calls;

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function recordDelivery(uint256 tradeId, address market, uint64 period, address provider, uint256 ratioWad)
        external
    {
        if (mode == Mode.Revert) revert MockStoreFailure();
        if (mode == Mode.BurnGas) {
            // Bound: none on purpose; the caller's gas cap ends it.
            while (true) {
                ++calls;
            }
        }
        ++calls;
        emit DeliveryRecorded(tradeId, market, period, provider, ratioWad);
    }
}
