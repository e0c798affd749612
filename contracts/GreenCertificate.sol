// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {ERC1155Supply} from "@openzeppelin/contracts/token/ERC1155/extensions/ERC1155Supply.sol";
import {IGreenCertificate} from "./interfaces/IGreenCertificate.sol";

/// @title GreenCertificate
/// @notice Green certificates (guarantees of origin) as ERC-1155: token id = delivery period (vintage),
/// 1 unit = 1 Wh, one certificate of 1 MWh = WH_PER_CERTIFICATE units.
/// @dev Roles: DEFAULT_ADMIN_ROLE (URI, role grants), MINTER_ROLE (the escrow only).
contract GreenCertificate is IGreenCertificate, ERC1155Supply, AccessControl {
    /// @notice The escrow: issues certificates at settlement.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice One certificate is 1 MWh = 1,000,000 Wh.
    uint256 public constant WH_PER_CERTIFICATE = 1_000_000;
    /// @notice The longest beneficiary text of a retirement, in bytes.
    uint256 public constant MAX_BENEFICIARY_BYTES = 128;

    mapping(uint256 vintage => uint256 amountWh) private _retired;
    mapping(address holder => mapping(uint256 vintage => uint256 amountWh)) private _retiredOf;

    constructor(address admin, string memory uri_) ERC1155(uri_) {
        if (admin == address(0)) revert CertificateInvalidAddress(admin);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IGreenCertificate
    function mint(address to, uint256 vintage, uint256 amountWh, uint256 tradeId) external onlyRole(MINTER_ROLE) {
        if (amountWh == 0) revert CertificateZeroAmount();
        emit CertificateIssued(to, vintage, amountWh, tradeId);
        _mint(to, vintage, amountWh, "");
    }

    /// @inheritdoc IGreenCertificate
    function retire(uint256 vintage, uint256 amountWh, string calldata beneficiary) external {
        if (amountWh == 0) revert CertificateZeroAmount();
        uint256 length = bytes(beneficiary).length;
        if (length == 0 || length > MAX_BENEFICIARY_BYTES) {
            revert CertificateInvalidBeneficiary(length, MAX_BENEFICIARY_BYTES);
        }
        _burn(msg.sender, vintage, amountWh); // reverts with ERC1155InsufficientBalance when the holder has less
        _retired[vintage] += amountWh;
        _retiredOf[msg.sender][vintage] += amountWh;
        emit CertificateRetired(msg.sender, vintage, amountWh, beneficiary);
    }

    /// @notice Sets the ERC-1155 metadata URI of every vintage (DEFAULT_ADMIN_ROLE).
    /// @param uri_ the URI, with {id} for the vintage
    function setURI(string calldata uri_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setURI(uri_);
    }

    /// @inheritdoc IGreenCertificate
    function retiredWh(uint256 vintage) external view returns (uint256) {
        return _retired[vintage];
    }

    /// @inheritdoc IGreenCertificate
    function retiredWhOf(address holder, uint256 vintage) external view returns (uint256) {
        return _retiredOf[holder][vintage];
    }

    /// @notice ERC-165: ERC-1155, its metadata extension and AccessControl.
    /// @param interfaceId the interface id
    function supportsInterface(bytes4 interfaceId) public view override(ERC1155, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }
}
