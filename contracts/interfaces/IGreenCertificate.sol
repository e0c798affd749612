// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IGreenCertificate
/// @notice Guarantees of origin for delivered green energy as ERC-1155 tokens. The token id is the delivery
/// period (the vintage); one unit is one watt-hour, so one certificate of 1 MWh is WH_PER_CERTIFICATE units.
/// @dev Only the escrow mints (MINTER_ROLE), from metered delivery of a green seller, to the buyer. Holders
///      transfer with the standard ERC-1155 functions and retire (burn) what they claim.
interface IGreenCertificate {
    /// @notice `amountWh` of vintage `vintage` were issued to `to` for escrow trade `tradeId`.
    event CertificateIssued(address indexed to, uint256 indexed vintage, uint256 amountWh, uint256 indexed tradeId);
    /// @notice `holder` retired `amountWh` of vintage `vintage` on behalf of `beneficiary`: the claim is final.
    event CertificateRetired(address indexed holder, uint256 indexed vintage, uint256 amountWh, string beneficiary);

    /// @notice A mint or retirement of zero watt-hours.
    error CertificateZeroAmount();
    /// @notice The beneficiary text is empty or longer than MAX_BENEFICIARY_BYTES.
    error CertificateInvalidBeneficiary(uint256 length, uint256 maxLength);
    /// @notice A zero address where an account is required.
    error CertificateInvalidAddress(address value);

    /// @notice Issues `amountWh` watt-hours of vintage `vintage` to `to` for trade `tradeId` (MINTER_ROLE).
    function mint(address to, uint256 vintage, uint256 amountWh, uint256 tradeId) external;

    /// @notice Burns `amountWh` of the caller's vintage `vintage` certificates, claimed for `beneficiary`.
    function retire(uint256 vintage, uint256 amountWh, string calldata beneficiary) external;

    /// @notice Watt-hours of vintage `vintage` retired so far, by anyone.
    function retiredWh(uint256 vintage) external view returns (uint256);

    /// @notice Watt-hours of vintage `vintage` retired so far by `holder`.
    function retiredWhOf(address holder, uint256 vintage) external view returns (uint256);
}
