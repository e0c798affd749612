// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test token that, during a transfer, calls `target` with `data` once (e.g. to reenter the escrow) and
/// bubbles up that call's revert.
contract ReentrantToken is ERC20 {
    address public hookTarget;
    bytes public hookData;
    bool private _armed;

    constructor() ERC20("Reentrant Token", "REENTER") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Lets this contract act as a market participant (register, deposit, order) with the hook unarmed.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @notice Arms the hook: the next transfer between two accounts calls `target_` with `data_`.
    function arm(address target_, bytes calldata data_) external {
        hookTarget = target_;
        hookData = data_;
        _armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (_armed && from != address(0) && to != address(0)) {
            _armed = false;
            (bool ok, bytes memory reason) = hookTarget.call(hookData);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
    }
}
