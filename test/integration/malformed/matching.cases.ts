import { commonMistakes, refuse, withFlag, type MalformedCase } from "./cases";

const ADDRESS = "0x[0-9a-fA-F]{40}";
const HUGE = "1" + "0".repeat(80);
const GAP = "bench/gap/gap-small.txt";

const openCases: MalformedCase[] = [
  refuse("match:open", [], /match:open failed: 0x[0-9a-fA-F]{40} has not enough ether to pay for gas/, { noGas: [0] }),
  ...commonMistakes("match:open", ["--posting-minutes", "30"], { sends: true }),
  refuse("match:open", ["--region", "70000"], /--region must be between 0 and 65535 \(got 70000\)/),
  refuse("match:open", ["--posting-minutes", "0"], /--posting-minutes must be between 1 and 525600 \(got 0\)/),
  refuse("match:open", ["--submission-minutes", "soon"], /--submission-minutes must be a whole number \(got "soon"\)/),
  refuse("match:open", ["--delivery-hours", "0"], /--delivery-hours must be between 1 and 8760 \(got 0\)/),
  refuse("match:open", ["--settlement-hours", "9000"], /--settlement-hours must be between 0 and 8760 \(got 9000\)/),
  refuse("match:open", ["--request-cap", "300"], /--request-cap must be between 1 and 256 \(got 300\)/),
  refuse("match:open", ["--offer-cap", "0"], /--offer-cap must be between 1 and 64 \(got 0\)/),
  refuse("match:open", ["--margin", "one"], /--margin must be a decimal amount such as 0\.64 \(got "one"\)/),
  refuse("match:open", ["--margin", HUGE], /--margin must be at most/),
  refuse(
    "match:open",
    ["--from", "2"],
    new RegExp(`AccessControlUnauthorizedAccount\\(account=${ADDRESS}, neededRole=OPERATOR_ROLE\\)`),
  ),
];

/** Offers and requests share their checks; `own` already posted on this side in cycle 3, `other` on the other. */
function postCases(task: "match:offer" | "match:request", own: string, other: string): MalformedCase[] {
  const [amountFlag, priceFlag] =
    task === "match:offer" ? ["--capacity-wh", "--price"] : ["--energy-wh", "--max-price"];
  const valid = ["--from", "7", "--cycle", "3", amountFlag, "1000", priceFlag, "0.60"];
  const post = (flag: string, value: string) => withFlag(valid, flag, value);
  const word = task === "match:offer" ? "offers" : "requests";
  return [
    ...commonMistakes(task, valid, { required: ["--cycle", amountFlag, priceFlag], sends: true }),
    refuse(task, post("--cycle", "0"), /--cycle must be between 1 and \d+ \(got 0\)/),
    refuse(task, post("--cycle", "next"), /--cycle must be a whole number \(got "next"\)/),
    refuse(task, post("--cycle", "9"), /Cycle 9 does not exist \(3 cycles so far\)\. Open one with match:open\./),
    refuse(task, post(priceFlag, "0"), new RegExp(`${priceFlag} must be more than 0`)),
    refuse(
      task,
      post(priceFlag, "0.6 EUR"),
      new RegExp(`${priceFlag} must be a decimal amount such as 0\\.64 \\(got "0\\.6 EUR"\\)`),
    ),
    refuse(task, post(priceFlag, HUGE), new RegExp(`${priceFlag} must be at most`)),
    refuse(task, post(amountFlag, "0"), new RegExp(`${amountFlag} must be between 1 and \\d+ \\(got 0\\)`)),
    refuse(task, post("--cycle", "1"), new RegExp(`cycle 1 is in its Finalizing phase, ${word} are closed`)),
    refuse(task, post("--cycle", "2"), new RegExp(`cycle 2 is in its Submission phase, ${word} are closed`)),
    refuse(task, post("--from", own), new RegExp(`MatchingAlreadyPosted\\(cycleId=3, participant=${ADDRESS}\\)`)),
    refuse(task, post("--from", other), new RegExp(`MatchingBothSides\\(cycleId=3, participant=${ADDRESS}\\)`)),
    refuse(task, post("--from", "5"), /RegistryNotEligible\(account=0x[0-9a-fA-F]{40}, reason=NotApproved\)/),
    refuse(task, post("--from", "4"), /RegistryNotEligible\(account=0x[0-9a-fA-F]{40}, reason=Suspended\)/),
    refuse(task, post("--from", "6"), /EscrowInsufficientFree\(account=0x[0-9a-fA-F]{40}, free=0, needed=\d+\)/),
  ];
}

const solveCases: MalformedCase[] = [
  ...commonMistakes("match:solve", ["--cycle", "2"], { sends: true }),
  refuse("match:solve", [], /give exactly one of --gap-file <file> or --cycle <id>/),
  refuse("match:solve", ["--cycle", "2", "--gap-file", GAP], /give exactly one of --gap-file <file> or --cycle <id>/),
  refuse("match:solve", ["--cycle", "12"], /Cycle 12 does not exist \(3 cycles so far\)/),
  refuse("match:solve", ["--cycle", "two"], /--cycle must be a whole number \(got "two"\)/),
  refuse("match:solve", ["--cycle", "2", "--time-limit", "0"], /--time-limit must be a positive number of seconds/),
  refuse(
    "match:solve",
    ["--cycle", "3", "--post"],
    /match:solve --post: cycle 3 is in its Posting phase; assignments are taken in the Submission phase/,
  ),
  refuse(
    "match:solve",
    ["--cycle", "1", "--post"],
    /cycle 1 is in its Finalizing phase; assignments are taken in the Submission phase/,
  ),
  refuse("match:solve", (f) => ["--gap-file", f.at("missing.txt")], /--gap-file .*missing\.txt does not exist/),
  refuse("match:solve", (f) => ["--gap-file", f.at("folder")], /--gap-file .*folder is a folder, not a file/),
  refuse("match:solve", (f) => ["--gap-file", f.at("gap-words.txt")], /gap-words\.txt is not a GAP instance: /),
  refuse("match:solve", (f) => ["--gap-file", f.at("gap-truncated.txt")], /gap-truncated\.txt is not a GAP instance: /),
  refuse("match:solve", (f) => ["--gap-file", f.at("empty.json")], /empty\.json is not a GAP instance: /),
  refuse("match:solve", (f) => ["--gap-file", f.at("gap-negative.txt")], /gap-negative\.txt is not a GAP instance: /),
  refuse(
    "match:solve",
    (f) => ["--gap-file", f.at("plain.txt"), "--objective", "best"],
    /--objective must be max or min \(got best\)/,
  ),
  refuse(
    "match:solve",
    (f) => ["--gap-file", f.at("plain.txt"), "--time-limit", "soon"],
    /--time-limit must be a positive number of seconds \(got soon\)/,
  ),
];

const finalizeCases: MalformedCase[] = [
  ...commonMistakes("match:finalize", ["--cycle", "1"], { required: ["--cycle"], sends: true }),
  refuse(
    "match:finalize",
    ["--cycle", "3"],
    /match:finalize: cycle 3 is in its Posting phase; finalize after the submission window/,
  ),
  refuse(
    "match:finalize",
    ["--cycle", "2"],
    /cycle 2 is in its Submission phase; finalize after the submission window/,
  ),
  refuse("match:finalize", ["--cycle", "4"], /Cycle 4 does not exist \(3 cycles so far\)/),
  refuse("match:finalize", ["--cycle", "0"], /--cycle must be between 1 and \d+ \(got 0\)/),
  refuse("match:finalize", ["--cycle", "1", "--batch", "0"], /--batch must be between 1 and 500 \(got 0\)/),
  refuse("match:finalize", ["--cycle", "1", "--batch", "many"], /--batch must be a whole number \(got "many"\)/),
  refuse("match:finalize", ["--cycle", "1", "--batch", "1000"], /--batch must be between 1 and 500 \(got 1000\)/),
];

const showCases: MalformedCase[] = [
  ...commonMistakes("match:show", ["--cycle", "3"], { required: ["--cycle"] }),
  refuse("match:show", ["--cycle", "0"], /--cycle must be between 1 and \d+ \(got 0\)/),
  refuse("match:show", ["--cycle", "last"], /--cycle must be a whole number \(got "last"\)/),
  refuse("match:show", ["--cycle", "5"], /Cycle 5 does not exist \(3 cycles so far\)/),
  refuse("match:show", ["--cycle", "-1"], /--cycle must be between 1 and \d+ \(got -1\)/),
  refuse("match:show", ["--cycle", HUGE], /--cycle must be between 1 and \d+ \(got 10{80}\)/),
  refuse("match:show", ["--cycle", "3", "--post"], /Unrecognized param --post/),
];

const reputationCases: MalformedCase[] = [
  ...commonMistakes("reputation:update", ["--cycle", "1"], { required: ["--cycle"], sends: true }),
  refuse("reputation:update", ["--cycle", "1"], /MatchingNotFinalized\(cycleId=1\)/),
  refuse("reputation:update", ["--cycle", "3"], /MatchingReputationOrder\(cycleId=3, expectedCycleId=1\)/),
  refuse("reputation:update", ["--cycle", "6"], /Cycle 6 does not exist \(3 cycles so far\)/),
  refuse("reputation:update", ["--cycle", "0"], /--cycle must be between 1 and \d+ \(got 0\)/),
  refuse("reputation:update", ["--cycle", "all"], /--cycle must be a whole number \(got "all"\)/),
  refuse("reputation:update", ["--cycle", "1.0"], /--cycle must be a whole number \(got "1\.0"\)/),

  ...commonMistakes("reputation:show", ["--account", "1"], { required: ["--account"] }),
  refuse("reputation:show", ["--account", "P1"], /--account "P1" is neither an address nor an account index/),
  refuse("reputation:show", ["--account", "0xabc"], /--account "0xabc" is neither an address nor an account index/),
  refuse("reputation:show", ["--account", "99"], /--account 99: network "hardhat" has 20 accounts/),
  refuse("reputation:show", ["--account", ""], /--account "" is neither an address nor an account index/),
  refuse("reputation:show", ["--account", "1", "--cycle", "1"], /Unrecognized param --cycle/),
  refuse("reputation:show", ["--account", "1", "--dry-run"], /Unrecognized param --dry-run/),

  ...commonMistakes("reputation:simulate", ["--seed", "7"], { chain: false }),
  refuse("reputation:simulate", ["--seed", "-1"], /--seed must be between 0 and 4294967295 \(got -1\)/),
  refuse("reputation:simulate", ["--seed", "lucky"], /--seed must be a whole number \(got "lucky"\)/),
  refuse("reputation:simulate", ["--seed", "4294967296"], /--seed must be between 0 and 4294967295 \(got 4294967296\)/),
  refuse("reputation:simulate", ["--seed", "0.5"], /--seed must be a whole number \(got "0\.5"\)/),
  refuse("reputation:simulate", (f) => ["--out", f.at("plain.txt")], /--out .*plain\.txt is a file, not a folder/),
  refuse(
    "reputation:simulate",
    (f) => ["--out", f.at("plain.txt/charts")],
    /--out .*plain\.txt\/charts: .*plain\.txt is a file, not a folder/,
  ),
  refuse("reputation:simulate", ["--cycles", "5"], /Unrecognized param --cycles/),
];

export const MATCHING_CASES: MalformedCase[] = [
  ...openCases,
  ...postCases("match:offer", "1", "2"),
  ...postCases("match:request", "2", "1"),
  ...solveCases,
  ...finalizeCases,
  ...showCases,
  ...reputationCases,
];
