// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A participant that is a contract without ERC-1155 receiver hooks (a minimal smart wallet): its owner
/// makes it call anything, e.g. register in the registry or deposit into the escrow. Certificate mints to it fail.
contract ContractParticipant {
    address public immutable owner;

    error NotOwner(address caller);

    constructor() {
        owner = msg.sender;
    }

    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
