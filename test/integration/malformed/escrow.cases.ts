import { commonMistakes, refuse, type MalformedCase } from "./cases";

const HUGE = "1" + "0".repeat(80);
const NO_GAS = /failed: 0x[0-9a-fA-F]{40} has not enough ether to pay for gas \(.+\)\. Nothing was sent\./;
const ZERO = "0x0000000000000000000000000000000000000000";
const ADDRESS = "0x[0-9a-fA-F]{40}";

const mintCases: MalformedCase[] = [
  refuse("token:mint", ["--to", "1", "--amount", "5"], NO_GAS, { noGas: [0] }),
  ...commonMistakes("token:mint", ["--to", "1", "--amount", "5"], { required: ["--to", "--amount"], sends: true }),
  refuse(
    "token:mint",
    ["--to", "1", "--amount", "five"],
    /--amount must be a decimal amount such as 12\.5 \(got "five"\)/,
  ),
  refuse("token:mint", ["--to", "1", "--amount", "0"], /--amount must be more than 0/),
  refuse("token:mint", ["--to", "1", "--amount", "-5"], /--amount must be a decimal amount such as 12\.5 \(got "-5"\)/),
  refuse("token:mint", ["--to", "1", "--amount", "1.1234567"], /--amount 1\.1234567 has more than 6 decimals/),
  refuse(
    "token:mint",
    ["--to", "1", "--amount", "1e6"],
    /--amount must be a decimal amount such as 12\.5 \(got "1e6"\)/,
  ),
  refuse("token:mint", ["--to", "1", "--amount", HUGE], /--amount must be at most/),
  refuse("token:mint", ["--to", "bank", "--amount", "5"], /--to "bank" is neither an address nor an account index/),
  refuse("token:mint", ["--to", "40", "--amount", "5"], /--to 40: network "hardhat" has 20 accounts/),
  refuse("token:mint", ["--to", ZERO, "--amount", "5"], /--to is the zero address, which no one controls/),
  refuse(
    "token:mint",
    ["--to", "1", "--amount", "5", "--from", "1"],
    new RegExp(`AccessControlUnauthorizedAccount\\(account=${ADDRESS}, neededRole=MINTER_ROLE\\)`),
  ),
];

const depositCases: MalformedCase[] = [
  refuse(
    "escrow:deposit",
    ["--from", "1", "--amount", "1"],
    /escrow:deposit \(approve\) failed: .* has not enough ether/,
    {
      noGas: [1],
    },
  ),
  ...commonMistakes("escrow:deposit", ["--from", "1", "--amount", "5"], { required: ["--amount"], sends: true }),
  refuse(
    "escrow:deposit",
    ["--from", "1", "--amount", "a lot"],
    /--amount must be a decimal amount such as 12\.5 \(got "a lot"\)/,
  ),
  refuse("escrow:deposit", ["--from", "1", "--amount", "0.000"], /--amount must be more than 0/),
  refuse("escrow:deposit", ["--from", "1", "--amount", "0.0000001"], /--amount 0\.0000001 has more than 6 decimals/),
  refuse(
    "escrow:deposit",
    ["--from", "1", "--amount", "1,5"],
    /--amount must be a decimal amount such as 12\.5 \(got "1,5"\)/,
  ),
  refuse(
    "escrow:deposit",
    ["--from", "1", "--amount", "51"],
    /holds 50 gEUR in its wallet, less than 51 gEUR\. Nothing was sent\./,
  ),
  refuse("escrow:deposit", ["--from", "5", "--amount", "1"], /holds 0 gEUR in its wallet, less than 1 gEUR/),
  refuse(
    "escrow:deposit",
    ["--from", "6", "--for", "1", "--amount", "1"],
    /holds 0 gEUR in its wallet, less than 1 gEUR/,
  ),
  refuse("escrow:deposit", ["--from", "1", "--amount", HUGE], /--amount must be at most/),
  refuse(
    "escrow:deposit",
    ["--from", "1", "--for", "friend", "--amount", "1"],
    /--for "friend" is neither an address nor an account index/,
  ),
  // the escrow's allowance is used up: a deposit would approve first, so the beneficiary is checked before
  refuse(
    "escrow:deposit",
    ["--from", "1", "--for", ZERO, "--amount", "1"],
    /--for is the zero address, which no one controls/,
  ),
];

const withdrawCases: MalformedCase[] = [
  refuse("escrow:withdraw", ["--from", "1", "--amount", "1"], NO_GAS, { noGas: [1] }),
  ...commonMistakes("escrow:withdraw", ["--from", "1", "--amount", "5"], { required: ["--amount"], sends: true }),
  refuse(
    "escrow:withdraw",
    ["--from", "1", "--amount", "all"],
    /--amount must be a decimal amount such as 12\.5 \(got "all"\)/,
  ),
  refuse("escrow:withdraw", ["--from", "1", "--amount", "0"], /--amount must be more than 0/),
  refuse(
    "escrow:withdraw",
    ["--from", "1", "--amount", ".5"],
    /--amount must be a decimal amount such as 12\.5 \(got "\.5"\)/,
  ),
  refuse(
    "escrow:withdraw",
    ["--from", "1", "--amount", "50"],
    /has 4[0-9.]* gEUR free \([0-9.]+ gEUR locked in orders and trades\), less than 50 gEUR\. Nothing was sent\./,
  ),
  refuse(
    "escrow:withdraw",
    ["--from", "5", "--amount", "1"],
    /has 0 gEUR free \(0 gEUR locked in orders and trades\), less than 1 gEUR/,
  ),
  refuse("escrow:withdraw", ["--from", "6", "--amount", "0.01"], /has 0 gEUR free/),
  refuse("escrow:withdraw", ["--from", "1", "--amount", HUGE], /--amount must be at most/),
];

const balanceCases: MalformedCase[] = [
  ...commonMistakes("escrow:balance", ["--account", "1"], {}),
  refuse("escrow:balance", ["--account", "savings"], /--account "savings" is neither an address nor an account index/),
  refuse("escrow:balance", ["--account", "0x1"], /--account "0x1" is neither an address nor an account index/),
  refuse("escrow:balance", ["--account", "20"], /--account 20: network "hardhat" has 20 accounts/),
  refuse("escrow:balance", ["--account", ""], /--account "" is neither an address nor an account index/),
  refuse("escrow:balance", ["--account", "1", "--from", "1"], /Unrecognized param --from/),
  refuse("escrow:balance", ["--account", "1", "--dry-run"], /Unrecognized param --dry-run/),
];

const rewardCases: MalformedCase[] = [
  ...commonMistakes("reward:fund", ["--amount", "1"], { required: ["--amount"], sends: true }),
  refuse("reward:fund", ["--amount", "plenty"], /--amount must be a decimal amount such as 12\.5 \(got "plenty"\)/),
  refuse("reward:fund", ["--amount", "0"], /--amount must be more than 0/),
  refuse("reward:fund", ["--amount", "11"], /holds 10 gEUR in its wallet, less than 11 gEUR\. Nothing was sent\./),
  refuse("reward:fund", ["--amount", "1", "--from", "5"], /holds 0 gEUR in its wallet, less than 1 gEUR/),
  refuse("reward:fund", ["--amount", "2.0000005"], /--amount 2\.0000005 has more than 6 decimals/),
  refuse("reward:fund", ["--amount", HUGE], /--amount must be at most/),
];

const tradeShowCases: MalformedCase[] = [
  ...commonMistakes("trade:show", ["--id", "2"], { required: ["--id"] }),
  refuse("trade:show", ["--id", "0"], /--id must be at least 1 \(got 0\)/),
  refuse("trade:show", ["--id", "first"], /--id must be a whole number \(got "first"\)/),
  refuse("trade:show", ["--id", "3"], /trade 3 does not exist \(trades are numbered 1\.\.2\)/),
  refuse("trade:show", ["--id", HUGE], /trade 10{80} does not exist/),
  refuse("trade:show", ["--id", "-2"], /--id must be at least 1 \(got -2\)/),
  refuse("trade:show", ["--id", "#2"], /--id must be a whole number \(got "#2"\)/),
];

const tradeListCases: MalformedCase[] = [
  ...commonMistakes("trade:list", ["--limit", "5"], {}),
  refuse("trade:list", ["--offset", "-1"], /--offset must be at least 0 \(got -1\)/),
  refuse("trade:list", ["--offset", "start"], /--offset must be a whole number \(got "start"\)/),
  refuse("trade:list", ["--limit", "0"], /--limit must be between 1 and 10000 \(got 0\)/),
  refuse("trade:list", ["--limit", "1e3"], /--limit must be a whole number \(got "1e3"\)/),
  refuse("trade:list", ["--status", "closed"], /--status must be one of all, open, settled, due/),
  refuse("trade:list", ["--status", ""], /--status must be one of all, open, settled, due/),
];

const settleCases: MalformedCase[] = [
  ...commonMistakes("settle", ["--id", "2"], { required: ["--id"], sends: true }),
  refuse("settle", ["--id", "1"], /settle: trade 1 is already settled\. Nothing was sent\./),
  refuse(
    "settle",
    ["--id", "2"],
    /settle: trade 2 cannot be settled yet: it is waiting for delivery to start\..*provider: missing, user: missing/,
  ),
  refuse("settle", ["--id", "3"], /settle: trade 3 does not exist \(trades are numbered 1\.\.2\)/),
  refuse("settle", ["--id", "0"], /--id must be at least 1 \(got 0\)/),
  refuse("settle", ["--id", "two"], /--id must be a whole number \(got "two"\)/),
  refuse("settle", ["--id", "2", "--batch", "5"], /Unrecognized param --batch/),
];

const dueCases: MalformedCase[] = [
  ...commonMistakes("settle:due", ["--batch", "5"], { sends: true }),
  refuse("settle:due", ["--batch", "0"], /--batch must be between 1 and 50 \(got 0\)/),
  refuse("settle:due", ["--batch", "51"], /--batch must be between 1 and 50 \(got 51\)/),
  refuse("settle:due", ["--batch", "all"], /--batch must be a whole number \(got "all"\)/),
  refuse("settle:due", ["--batch", "-3"], /--batch must be between 1 and 50 \(got -3\)/),
  refuse("settle:due", ["--batch", "2.5"], /--batch must be a whole number \(got "2\.5"\)/),
  refuse("settle:due", ["--id", "2"], /Unrecognized param --id/),
];

export const ESCROW_CASES: MalformedCase[] = [
  ...mintCases,
  ...depositCases,
  ...withdrawCases,
  ...balanceCases,
  ...rewardCases,
  ...tradeShowCases,
  ...tradeListCases,
  ...settleCases,
  ...dueCases,
];
