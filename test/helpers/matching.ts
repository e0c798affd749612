export { readCycle } from "../../src/chain/matching";
