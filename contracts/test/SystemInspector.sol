// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IEnergyEscrow} from "../interfaces/IEnergyEscrow.sol";
import {IParticipantRegistry} from "../interfaces/IParticipantRegistry.sol";
import {IDoubleAuction} from "../interfaces/IDoubleAuction.sol";
import {IReputationMatching} from "../interfaces/IReputationMatching.sol";

interface IAuctionState {
    function state(uint256 periodId) external view returns (IDoubleAuction.PeriodState memory);
}

/// @notice Test helper: reads, in one call, the parts of the market's state that the system fuzz checks after an
/// action (the escrow totals always; accounts, periods, cycles, meter devices, trades and providers as asked).
/// @dev Returns 32-byte words only, in the order of the query, so the caller decodes without an ABI decoder:
///      timestamp, token balance, totalFree, totalLocked, rewardPool; per account free and locked; per lock
///      account what the auction and what the matching hold locked; per period phase, round, roundEndsAt; per cycle phase; per device last
///      sequence; per trade status; per provider reputation in the matching and in the registry, registry status.
///      Every nested call costs a frame, so the fuzz asks only for what an action's events touched.
contract SystemInspector {
    struct Market {
        IEnergyEscrow escrow;
        IERC20 token;
        IParticipantRegistry registry;
        IAuctionState auction;
        IReputationMatching matching;
    }

    struct Query {
        address[] accounts;
        /// @dev Accounts whose locks by the two markets to read (those an action's lock events named).
        address[] locks;
        uint256[] periods;
        uint256[] cycles;
        address[] devices;
        uint256[] trades;
        address[] participants;
    }

    /// @dev Bounds: every loop runs over one list of the query (test sizes only).
    function probe(Market calldata m, Query calldata q) external view returns (uint256[] memory w) {
        w = new uint256[](
            5 + 2 * q.accounts.length + 2 * q.locks.length + 3 * q.periods.length + q.cycles.length + q.devices.length + q.trades.length +
                3 * q.participants.length
        );
        w[0] = block.timestamp;
        w[1] = m.token.balanceOf(address(m.escrow));
        w[2] = m.escrow.totalFree();
        w[3] = m.escrow.totalLocked();
        w[4] = m.escrow.rewardPool();
        uint256 k = 5;
        for (uint256 i = 0; i < q.accounts.length; ++i) {
            address a = q.accounts[i];
            k = _put(w, k, m.escrow.freeBalanceOf(a));
            k = _put(w, k, m.escrow.lockedBalanceOf(a));
        }
        for (uint256 i = 0; i < q.locks.length; ++i) {
            k = _put(w, k, m.escrow.lockedBy(address(m.auction), q.locks[i]));
            k = _put(w, k, m.escrow.lockedBy(address(m.matching), q.locks[i]));
        }
        for (uint256 i = 0; i < q.periods.length; ++i) {
            IDoubleAuction.PeriodState memory s = m.auction.state(q.periods[i]);
            k = _put(w, k, uint256(s.phase));
            k = _put(w, k, s.round);
            k = _put(w, k, s.roundEndsAt);
        }
        for (uint256 i = 0; i < q.cycles.length; ++i) k = _put(w, k, uint256(m.matching.phaseOf(q.cycles[i])));
        for (uint256 i = 0; i < q.devices.length; ++i) k = _put(w, k, m.escrow.lastSequence(q.devices[i]));
        for (uint256 i = 0; i < q.trades.length; ++i) k = _put(w, k, uint256(m.escrow.trade(q.trades[i]).status));
        for (uint256 i = 0; i < q.participants.length; ++i) {
            address a = q.participants[i];
            IParticipantRegistry.Participant memory p = m.registry.participant(a);
            k = _put(w, k, m.matching.reputationOf(a));
            k = _put(w, k, p.reputationWad);
            k = _put(w, k, uint256(p.status));
        }
    }

    /// @dev Writes one word of the probe's result and returns the next position.
    function _put(uint256[] memory w, uint256 k, uint256 value) private pure returns (uint256) {
        w[k] = value;
        return k + 1;
    }
}
