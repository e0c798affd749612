import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";

/**
 * The whole market, deployed in one command:
 *   npx hardhat ignition deploy deploy/modules/GreenGrid.ts --network localhost
 * Later modules (token, escrow, markets) are added here and granted their roles on the registry.
 */
export default buildModule("GreenGrid", (m) => {
  const { registry } = m.useModule(RegistryModule);
  return { registry };
});
