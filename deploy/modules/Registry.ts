import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The participant registry. Parameters (all optional):
 *   regulator    account that reviews registrations (default: the deployer)
 *   maxDefaults  defaults at which a participant stops being eligible (default 3)
 *   regionIds / regionNames  the grid zones prosumers may register in
 */
export default buildModule("Registry", (m) => {
  const admin = m.getAccount(0);
  const regulator = m.getParameter("regulator", admin);
  const maxDefaults = m.getParameter("maxDefaults", 3);
  const regionIds = m.getParameter("regionIds", [1, 2, 3]);
  const regionNames = m.getParameter("regionNames", ["North", "Central", "South"]);

  const registry = m.contract("ParticipantRegistry", [admin, regulator, maxDefaults, regionIds, regionNames]);
  return { registry };
});
