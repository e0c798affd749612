// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title SettlementToken
/// @notice "GreenGrid Test Euro" (gEUR), 6 decimals: the settlement token on local chains, minted by the operator.
/// In production the escrow takes any ERC-20 (a stablecoin) instead and this contract is not deployed.
/// @dev Roles: DEFAULT_ADMIN_ROLE (role grants), MINTER_ROLE (mint).
contract SettlementToken is ERC20, AccessControl {
    /// @notice May mint settlement tokens.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice A zero address where an account is required.
    error SettlementTokenInvalidAddress(address value);

    constructor(address admin) ERC20("GreenGrid Test Euro", "gEUR") {
        if (admin == address(0)) revert SettlementTokenInvalidAddress(admin);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
    }

    /// @notice 1 gEUR = 10^6 base units.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` base units to `to` (MINTER_ROLE).
    /// @param to who receives the tokens
    /// @param amount base units minted
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }
}
