import { GreenGridWithExistingTokenModule } from "./GreenGrid";

/**
 * Production entry point: the market on an existing ERC-20 (no test token is deployed).
 *   npx hardhat ignition deploy deploy/modules/GreenGridExistingToken.ts --network sepolia \
 *     --parameters deploy/parameters/existing-token.example.json
 * The parameter Token.tokenAddress is required.
 */
export default GreenGridWithExistingTokenModule;
