// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IReputationMatching} from "../interfaces/IReputationMatching.sol";
import {AssignmentCheck} from "../libraries/AssignmentCheck.sol";
import {MatchingMath} from "../libraries/MatchingMath.sol";
import {ReputationMath} from "../libraries/ReputationMath.sol";

/// @notice Exposes MatchingMath, ReputationMath and AssignmentCheck to tests: called with eth_call to
/// compare them with the TypeScript twins (src/core/matching) on many random cases at once.
contract MatchingMathHarness {
    struct PairCase {
        uint256 energyWh;
        uint256 pricePerKwh;
        uint256 baseFeePerKwh;
        uint256 distanceFeePerKwh;
        uint256 distance;
        uint256 rcMicro;
    }

    struct PairResult {
        uint256 feePerKwh;
        int256 zeta;
        uint256 degree;
    }

    struct EmaCase {
        uint256 alphaWad;
        uint256 ratioSumWad;
        uint256 count;
        uint256 previousWad;
    }

    struct EmaResult {
        uint256 currentWad;
        uint256 comprehensiveWad;
        uint256 rcMicro;
    }

    IReputationMatching.Offer[] private _offers;
    IReputationMatching.Request[] private _requests;
    mapping(uint32 pair => uint32 distance) private _distances;
    uint32[] private _keys;

    /// @dev M is only defined for zeta >= 0; for a negative zeta the degree is reported as 0.
    function pairs(PairCase[] calldata cases) external pure returns (PairResult[] memory out) {
        out = new PairResult[](cases.length);
        for (uint256 k = 0; k < cases.length; ++k) {
            PairCase calldata c = cases[k];
            uint256 fee = MatchingMath.feePerKwh(c.baseFeePerKwh, c.distanceFeePerKwh, c.distance);
            int256 zeta = MatchingMath.revenue(c.energyWh, c.pricePerKwh, fee);
            out[k] = PairResult({
                feePerKwh: fee,
                zeta: zeta,
                degree: zeta < 0 ? 0 : MatchingMath.degree(uint256(zeta), c.rcMicro)
            });
        }
    }

    function degrees(uint256[] calldata zetas, uint256[] calldata rcMicros) external pure returns (uint256[] memory out) {
        out = new uint256[](zetas.length);
        for (uint256 k = 0; k < zetas.length; ++k) {
            out[k] = MatchingMath.degree(zetas[k], rcMicros[k]);
        }
    }

    function emas(EmaCase[] calldata cases) external pure returns (EmaResult[] memory out) {
        out = new EmaResult[](cases.length);
        for (uint256 k = 0; k < cases.length; ++k) {
            EmaCase calldata c = cases[k];
            uint256 current = ReputationMath.meanWad(c.ratioSumWad, c.count);
            uint256 rc = ReputationMath.emaWad(c.alphaWad, current, c.previousWad);
            out[k] = EmaResult({currentWad: current, comprehensiveWad: rc, rcMicro: ReputationMath.toMicro(rc)});
        }
    }

    /// @notice Stores a cycle and runs the assignment check on it (state is discarded under eth_call).
    /// @param distances triples (regionA, regionB, distance)
    function objective(
        IReputationMatching.Offer[] calldata offers,
        IReputationMatching.Request[] calldata requests,
        uint32[3][] calldata distances,
        IReputationMatching.FeeSchedule calldata fees,
        uint16[] calldata assignment
    ) external returns (uint256) {
        delete _offers;
        delete _requests;
        for (uint256 k = 0; k < _keys.length; ++k) {
            delete _distances[_keys[k]];
        }
        delete _keys;
        for (uint256 k = 0; k < offers.length; ++k) {
            _offers.push(offers[k]);
        }
        for (uint256 k = 0; k < requests.length; ++k) {
            _requests.push(requests[k]);
        }
        for (uint256 k = 0; k < distances.length; ++k) {
            uint32 key = AssignmentCheck.pairKey(uint16(distances[k][0]), uint16(distances[k][1]));
            _distances[key] = distances[k][2];
            _keys.push(key);
        }
        return AssignmentCheck.objective(_offers, _requests, _distances, fees, assignment);
    }
}
