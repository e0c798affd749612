// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IGreenCertificate
/// @notice Guarantees of origin for delivered green energy as ERC-1155 tokens. The token id is the delivery
/// period (the vintage); one unit is one watt-hour, so one certificate of 1 MWh is WH_PER_CERTIFICATE units.
/// @dev Only the escrow mints (MINTER_ROLE), from metered delivery of a green seller, to the buyer. Holders
///      transfer with the standard ERC-1155 functions and retire (burn) what they claim.
interface IGreenCertificate {
    /// @notice `amountWh` of vintage `vintage` were issued to `to` for escrow trade `tradeId`.
    /// @param to who received them
    /// @param vintage their vintage (delivery period)
    /// @param amountWh green energy certified, denominated in Wh
    /// @param tradeId the escrow trade
    event CertificateIssued(address indexed to, uint256 indexed vintage, uint256 amountWh, uint256 indexed tradeId);
    /// @notice `holder` retired `amountWh` of vintage `vintage` on behalf of `beneficiary`: the claim is final.
    /// @param holder who retired them
    /// @param vintage their vintage
    /// @param amountWh green energy retired, denominated in Wh
    /// @param beneficiary on whose behalf
    event CertificateRetired(address indexed holder, uint256 indexed vintage, uint256 amountWh, string beneficiary);

    /// @notice A mint or retirement of zero watt-hours.
    error CertificateZeroAmount();
    /// @notice The beneficiary text is empty or longer than MAX_BENEFICIARY_BYTES.
    error CertificateInvalidBeneficiary(uint256 length, uint256 maxLength);
    /// @notice A zero address where an account is required.
    error CertificateInvalidAddress(address value);

    /// @notice Issues `amountWh` watt-hours of vintage `vintage` to `to` for trade `tradeId` (MINTER_ROLE).
    /// @param to who receives them
    /// @param vintage their vintage (delivery period)
    /// @param amountWh green energy certified, denominated in Wh
    /// @param tradeId the escrow trade
    function mint(address to, uint256 vintage, uint256 amountWh, uint256 tradeId) external;

    /// @notice Burns `amountWh` of the caller's vintage `vintage` certificates, claimed for `beneficiary`.
    /// @param vintage their vintage
    /// @param amountWh green energy retired, denominated in Wh
    /// @param beneficiary on whose behalf, 1..MAX_BENEFICIARY_BYTES bytes
    function retire(uint256 vintage, uint256 amountWh, string calldata beneficiary) external;

    /// @notice Watt-hours of vintage `vintage` retired so far, by anyone.
    /// @param vintage the vintage
    function retiredWh(uint256 vintage) external view returns (uint256);

    /// @notice Watt-hours of vintage `vintage` retired so far by `holder`.
    /// @param holder who retired
    /// @param vintage the vintage
    function retiredWhOf(address holder, uint256 vintage) external view returns (uint256);
}
