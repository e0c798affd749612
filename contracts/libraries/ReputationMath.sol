// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ReputationMath
/// @notice Paper B's reputation (SPEC section 4), twin of src/core/matching/reputation.ts.
/// Every division rounds down: a reputation is never overstated.
library ReputationMath {
    /// @dev 1.0 as a WAD.
    uint256 internal constant WAD = 1e18;
    /// @dev WAD units per micro unit: RC in micro units (1e6 = 1.0) is RC / 1e12.
    uint256 internal constant WAD_PER_MICRO = 1e12;

    /// @notice Current reputation C = floor(sum of delivery ratios / count), a WAD.
    /// @dev count > 0 (a cycle without trades leaves RC unchanged and is never averaged).
    /// @param ratioSumWad sum of the delivery ratios, in WAD
    /// @param count how many ratios
    function meanWad(uint256 ratioSumWad, uint256 count) internal pure returns (uint256) {
        return ratioSumWad / count;
    }

    /// @notice Comprehensive reputation RC(T) = floor((alpha * C + (1 - alpha) * RC(T-1)) / 1), WADs.
    /// @dev alphaWad <= 1e18. With C, RC(T-1) <= 1e18 the result is <= 1e18: a convex combination.
    ///      Both products are below 1e36, far from overflow.
    /// @param alphaWad alpha, in WAD
    /// @param currentWad C, in WAD
    /// @param previousWad RC(T-1), in WAD
    function emaWad(uint256 alphaWad, uint256 currentWad, uint256 previousWad) internal pure returns (uint256) {
        return (alphaWad * currentWad + (WAD - alphaWad) * previousWad) / WAD;
    }

    /// @notice RC in micro units for the matching degree: floor(RC / 1e12).
    /// @param reputationWad RC, in WAD
    function toMicro(uint256 reputationWad) internal pure returns (uint256) {
        return reputationWad / WAD_PER_MICRO;
    }
}
