import { commonMistakes, refuse, withFlag, type MalformedCase } from "./cases";

const SIGN = ["--trade", "2", "--side", "provider", "--energy-wh", "5000", "--from", "11"];
const STRANGER_KEY = "0x" + "42".repeat(32);

const sign = (flag: string, value: string) => withFlag(SIGN, flag, value);

const signCases: MalformedCase[] = [
  ...commonMistakes("meter:sign", SIGN, { required: ["--trade", "--side", "--energy-wh"] }),
  refuse("meter:sign", sign("--side", "seller"), /--side must be provider or user \(got "seller"\)/),
  refuse("meter:sign", sign("--trade", "0"), /--trade must be at least 1 \(got 0\)/),
  refuse("meter:sign", sign("--trade", "two"), /--trade must be a whole number \(got "two"\)/),
  refuse(
    "meter:sign",
    sign("--trade", "9"),
    /trade 9 does not exist \(there are 2 trades\); the escrow would refuse this reading\. Nothing was signed\./,
  ),
  refuse("meter:sign", sign("--trade", "1"), /trade 1 is already settled; the escrow would refuse this reading/),
  refuse("meter:sign", sign("--energy-wh", "-1"), /--energy-wh must be between 0 and \d+ \(got -1\)/),
  refuse("meter:sign", sign("--energy-wh", "5 kWh"), /--energy-wh must be a whole number \(got "5 kWh"\)/),
  refuse("meter:sign", sign("--sequence", "0"), /--sequence must be between 1 and \d+ \(got 0\)/),
  refuse("meter:sign", ["--trade", "2", "--side", "user", "--energy-wh", "1"], /give exactly one of --key or --from/),
  refuse("meter:sign", sign("--key", STRANGER_KEY), /give exactly one of --key or --from/),
  refuse(
    "meter:sign",
    ["--trade", "2", "--side", "user", "--energy-wh", "1", "--key", "0x1234"],
    /--key must be a private key: 0x followed by 64 hex digits/,
  ),
  refuse(
    "meter:sign",
    ["--trade", "2", "--side", "user", "--energy-wh", "1", "--key", STRANGER_KEY],
    /0x[0-9a-fA-F]{40} is not the user meter of trade 2: the buyer's meter device is 0x[0-9a-fA-F]{40}/,
  ),
  refuse("meter:sign", sign("--from", "12"), /is not the provider meter of trade 2: the seller's meter device is/),
  refuse(
    "meter:sign",
    (f) => sign("--out", f.at("no-such-folder/reading.json")),
    /--out .*: the directory .*no-such-folder does not exist/,
  ),
  refuse("meter:sign", (f) => sign("--out", f.at("folder")), /--out .*folder is a folder, not a file/),
];

const submitCases: MalformedCase[] = [
  // delivery of trade 2 starts in three days: the escrow takes no reading before
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading.json"), "--from", "5"],
    /EscrowReadingOutsideWindow\(tradeId=2, timestamp=\d+, deliveryStart=\d+, settlementDeadline=\d+\)\. Nothing was sent\./,
  ),
  ...commonMistakes("meter:submit", [], { required: [], chain: false }).slice(0, 1),
  refuse("meter:submit", (f) => ["--file", f.at("reading.json"), "stray"], /Unrecognized positional argument stray/),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading.json"), "--file", f.at("reading.json")],
    /Repeated parameter --file/,
  ),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading.json"), "--from", "relay"],
    /--from "relay" is neither an account index nor an address/,
  ),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading.json"), "--from", "20"],
    /--from 20: network "hardhat" has 20 accounts/,
  ),
  refuse("meter:submit", [], /'--file' parameter of task 'meter:submit' expects a value/),
  refuse("meter:submit", ["--file"], /'--file' parameter of task 'meter:submit' expects a value/),
  refuse("meter:submit", (f) => ["--file", f.at("reading.json")], /Nothing is deployed on network "hardhat"/, {
    undeployed: true,
  }),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("missing.json")],
    /--file .*missing\.json does not exist\. Nothing was sent\./,
  ),
  refuse("meter:submit", (f) => ["--file", f.at("folder")], /--file .*folder is a folder, not a file/),
  refuse("meter:submit", (f) => ["--file", f.at("broken.json")], /--file .*broken\.json is not valid JSON/),
  refuse("meter:submit", (f) => ["--file", f.at("empty.json")], /--file .*empty\.json is not valid JSON/),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("null.json")],
    /reading file must be an object with escrow, chainId, signer, reading and signature/,
  ),
  refuse("meter:submit", (f) => ["--file", f.at("number.json")], /reading file must be an object/),
  refuse("meter:submit", (f) => ["--file", f.at("list.json")], /the file holds an empty list: nothing to submit/),
  refuse("meter:submit", (f) => ["--file", f.at("reading-no-signature.json")], /signature must be 65 bytes of hex/),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading-side-text.json")],
    /reading\.side must be 0 \(provider\) or 1 \(user\)/,
  ),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("readings-too-many.json")],
    /the file holds 51 readings; at most 50 go in one transaction/,
  ),
  refuse("meter:submit", (f) => ["--file", f.at("readings-repeated-sequence.json")], /sequence/),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading-forged.json")],
    /the signature was made by 0x[0-9a-fA-F]{40}, not by the signer 0x[0-9a-fA-F]{40} it names \(altered or forged\)/,
  ),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading-other-escrow.json")],
    /was signed for the escrow at 0x0+bEEF; this network's escrow is/,
  ),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading-other-chain.json")],
    /was signed for chain 11155111; network "hardhat" is chain 31337/,
  ),
  refuse(
    "meter:submit",
    (f) => ["--file", f.at("reading-wrong-meter.json")],
    /is not the provider meter of trade 2: the seller's meter device is/,
  ),
  refuse("meter:submit", (f) => ["--file", f.at("reading-settled.json")], /trade 1 is already settled/),
  refuse("meter:submit", (f) => ["--file", f.at("reading-unknown-trade.json")], /trade 77 does not exist/),
];

export const METERING_CASES: MalformedCase[] = [...signCases, ...submitCases];
