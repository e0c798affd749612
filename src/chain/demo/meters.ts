import { Wallet, keccak256, toUtf8Bytes } from "ethers";

/**
 * The demo's meter devices: one key per participant, derived from its id, so the same demo always
 * registers the same devices. These keys are public (anyone can derive them): they are for the
 * embedded network only, where meters are simulated. A real meter keeps its key in its hardware.
 */
export function demoMeterWallet(participantId: string): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`GreenGrid demo meter ${participantId}`)));
}
