import { commonMistakes, refuse, withFlag, type MalformedCase } from "./cases";

const HUGE = "1" + "0".repeat(80);
const RETIRE = ["--from", "2", "--vintage", "24", "--amount-wh", "1000", "--beneficiary", "Bakery 2025"];
const retire = (flag: string, value: string) => withFlag(RETIRE, flag, value);

export const CERTIFICATE_CASES: MalformedCase[] = [
  ...commonMistakes("cert:balance", ["--account", "2"], {}),
  refuse("cert:balance", ["--vintage", "summer"], /--vintage must be a whole number \(got "summer"\)/),
  refuse("cert:balance", ["--vintage", "-24"], /--vintage must be between 0 and \d+ \(got -24\)/),
  refuse("cert:balance", ["--vintage", "2.4"], /--vintage must be a whole number \(got "2\.4"\)/),
  refuse("cert:balance", ["--vintage", HUGE], /--vintage must be between 0 and \d+ \(got 10{80}\)/),
  refuse("cert:balance", ["--account", "holder"], /--account "holder" is neither an address nor an account index/),
  refuse("cert:balance", ["--account", "22"], /--account 22: network "hardhat" has 20 accounts/),
  refuse("cert:balance", ["--account", "2", "--amount-wh", "1"], /Unrecognized param --amount-wh/),

  ...commonMistakes("cert:retire", RETIRE, { required: ["--vintage", "--amount-wh", "--beneficiary"], sends: true }),
  refuse(
    "cert:retire",
    retire("--amount-wh", "1000"),
    /holds 0 Wh of vintage 24, less than 1000 Wh\. Nothing was sent\./,
  ),
  refuse("cert:retire", retire("--vintage", "last"), /--vintage must be a whole number \(got "last"\)/),
  refuse("cert:retire", retire("--vintage", HUGE), /--vintage must be between 0 and \d+ \(got 10{80}\)/),
  refuse("cert:retire", retire("--amount-wh", "0"), /--amount-wh must be at least 1 \(got 0\)/),
  refuse("cert:retire", retire("--amount-wh", "1 MWh"), /--amount-wh must be a whole number \(got "1 MWh"\)/),
  refuse("cert:retire", retire("--amount-wh", HUGE), /--amount-wh must be at most 2\^256 - 1 \(got 10{80}\)/),
  refuse("cert:retire", retire("--beneficiary", "  "), /--beneficiary is required/),
  refuse("cert:retire", retire("--beneficiary", "B".repeat(129)), /--beneficiary is 129 bytes long; at most 128/),
  refuse("cert:retire", retire("--beneficiary", "ü".repeat(65)), /--beneficiary is 130 bytes long; at most 128/),
  refuse("cert:retire", retire("--from", "5"), /0x[0-9a-fA-F]{40} holds 0 Wh of vintage 24, less than 1000 Wh/),
];
