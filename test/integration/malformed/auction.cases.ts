import { commonMistakes, refuse, withFlag, type MalformedCase } from "./cases";

const ADDRESS = "0x[0-9a-fA-F]{40}";
const HUGE = "1" + "0".repeat(80);

const openCases: MalformedCase[] = [
  ...commonMistakes("auction:open", ["--max-rounds", "5"], { sends: true }),
  refuse("auction:open", ["--tick", "0"], /--tick must be more than 0/),
  refuse("auction:open", ["--tick", "cent"], /--tick must be a decimal amount such as 0\.64 \(got "cent"\)/),
  refuse("auction:open", ["--feed-in", "0.305"], /--feed-in must be a whole number of ticks/),
  refuse("auction:open", ["--retail", "0.20"], /--retail must be above --feed-in/),
  refuse("auction:open", ["--retail", HUGE], /--retail must be at most/),
  refuse("auction:open", ["--round-duration", "0"], /--round-duration must be between 1 and 4294967295 \(got 0\)/),
  refuse("auction:open", ["--max-rounds", "1"], /--max-rounds must be between 2 and 65535 \(got 1\)/),
  refuse("auction:open", ["--order-cap", "5000"], /--order-cap must be between 1 and 4096 \(got 5000\)/),
  refuse("auction:open", ["--margin", "-1"], /--margin must be a decimal amount such as 0\.64 \(got "-1"\)/),
  refuse("auction:open", ["--region", "north"], /--region must be a whole number \(got "north"\)/),
  refuse("auction:open", ["--delivery-in", "0"], /--delivery-in must be between 1 and 1000000000 \(got 0\)/),
  refuse(
    "auction:open",
    ["--delivery-hours", "0", "--settlement-hours", "9000"],
    /--delivery-hours must be between 1 and 8760 \(got 0\)\n\s+- --settlement-hours must be between 0 and 8760 \(got 9000\)/,
  ),
  refuse(
    "auction:open",
    ["--from", "1"],
    new RegExp(`AccessControlUnauthorizedAccount\\(account=${ADDRESS}, neededRole=OPERATOR_ROLE\\)`),
  ),
];

/** Asks and bids share their checks; `own` is the account that already has an order in the open period 2. */
function orderCases(side: "ask" | "bid", own: string, price: string): MalformedCase[] {
  const task = `auction:${side}`;
  const valid = ["--from", "7", "--period", "2", "--energy-wh", "1000", "--price", price];
  const order = (flag: string, value: string) => withFlag(valid, flag, value);
  return [
    ...commonMistakes(task, valid, { required: ["--period", "--energy-wh", "--price"], sends: true }),
    refuse(task, order("--period", "0"), /--period must be between 1 and \d+ \(got 0\)/),
    refuse(task, order("--period", "latest"), /--period must be a whole number \(got "latest"\)/),
    refuse(task, order("--period", "9"), /Period 9 does not exist \(2 periods so far\)\. Open one with auction:open\./),
    refuse(task, order("--energy-wh", "0"), /--energy-wh must be between 1 and \d+ \(got 0\)/),
    refuse(task, order("--energy-wh", "1.5"), /--energy-wh must be a whole number \(got "1\.5"\)/),
    refuse(task, order("--price", "1.50"), /--price 1\.50 is outside the tariffs \[0\.30, 1\.00\]/),
    refuse(task, order("--price", "0.655"), /--price 0\.655 is not a whole number of ticks of 0\.01/),
    refuse(task, order("--price", "cheap"), /--price must be a decimal amount such as 0\.64 \(got "cheap"\)/),
    refuse(task, order("--period", "1"), /period 1 no longer takes orders \(phase Cleared, round \d+\)/),
    refuse(
      task,
      order("--from", own),
      new RegExp(`AuctionDuplicateOrder\\(periodId=2, participant=${ADDRESS}, orderIndex=\\d+\\)`),
    ),
    refuse(task, order("--from", "5"), /RegistryNotEligible\(account=0x[0-9a-fA-F]{40}, reason=NotApproved\)/),
    refuse(task, order("--from", "3"), /RegistryNotEligible\(account=0x[0-9a-fA-F]{40}, reason=NotApproved\)/),
    refuse(task, order("--from", "4"), /RegistryNotEligible\(account=0x[0-9a-fA-F]{40}, reason=Suspended\)/),
    refuse(task, order("--from", "6"), /EscrowInsufficientFree\(account=0x[0-9a-fA-F]{40}, free=0, needed=\d+\)/),
  ];
}

const reviseCases: MalformedCase[] = [
  ...commonMistakes("auction:revise", ["--from", "1", "--period", "2", "--price", "0.55"], {
    required: ["--period", "--price"],
    sends: true,
  }),
  refuse(
    "auction:revise",
    ["--from", "1", "--period", "2", "--price", "0.55"],
    /AuctionRevisionsNotOpen\(periodId=2, round=1\)/,
  ),
  refuse(
    "auction:revise",
    ["--from", "1", "--period", "1", "--price", "0.55"],
    /AuctionWrongPhase\(periodId=1, phase=Cleared\)/,
  ),
  refuse(
    "auction:revise",
    ["--from", "1", "--period", "2", "--price", "0.10"],
    /--price 0\.10 is outside the tariffs \[0\.30, 1\.00\]/,
  ),
  refuse(
    "auction:revise",
    ["--from", "1", "--period", "2", "--price", "0.551"],
    /--price 0\.551 is not a whole number of ticks of 0\.01/,
  ),
  refuse(
    "auction:revise",
    ["--from", "1", "--period", "5", "--price", "0.55"],
    /Period 5 does not exist \(2 periods so far\)/,
  ),
  refuse(
    "auction:revise",
    ["--from", "1", "--period", "two", "--price", "0.55"],
    /--period must be a whole number \(got "two"\)/,
  ),
  refuse(
    "auction:revise",
    ["--from", "1", "--period", "2", "--price", "55%"],
    /--price must be a decimal amount such as 0\.64 \(got "55%"\)/,
  ),
];

const cancelCases: MalformedCase[] = [
  refuse(
    "auction:cancel",
    ["--from", "1", "--period", "2"],
    /auction:cancel failed: .* has not enough ether to pay for gas/,
    {
      noGas: [1],
    },
  ),
  ...commonMistakes("auction:cancel", ["--from", "1", "--period", "2"], { required: ["--period"], sends: true }),
  refuse(
    "auction:cancel",
    ["--from", "5", "--period", "2"],
    new RegExp(`AuctionNoOrder\\(periodId=2, participant=${ADDRESS}\\)`),
  ),
  refuse("auction:cancel", ["--from", "1", "--period", "1"], /AuctionWrongPhase\(periodId=1, phase=Cleared\)/),
  refuse("auction:cancel", ["--from", "1", "--period", "3"], /Period 3 does not exist \(2 periods so far\)/),
  refuse("auction:cancel", ["--from", "1", "--period", "0"], /--period must be between 1 and \d+ \(got 0\)/),
  refuse("auction:cancel", ["--from", "1", "--period", "-2"], /--period must be between 1 and \d+ \(got -2\)/),
  refuse("auction:cancel", ["--from", "1", "--period", HUGE], /--period must be between 1 and \d+ \(got 10{80}\)/),
];

const closeCases: MalformedCase[] = [
  ...commonMistakes("auction:close-round", ["--period", "2"], { required: ["--period"], sends: true }),
  refuse("auction:close-round", ["--period", "2", "--from", "1"], /AuctionRoundNotOver\(periodId=2, endsAt=\d+\)/),
  refuse("auction:close-round", ["--period", "1"], /AuctionWrongPhase\(periodId=1, phase=Cleared\)/),
  refuse("auction:close-round", ["--period", "7"], /Period 7 does not exist \(2 periods so far\)/),
  refuse("auction:close-round", ["--period", "0"], /--period must be between 1 and \d+ \(got 0\)/),
  refuse("auction:close-round", ["--period", "2nd"], /--period must be a whole number \(got "2nd"\)/),
  refuse("auction:close-round", ["--period", "2", "--round", "1"], /Unrecognized param --round/),
];

const finalizeCases: MalformedCase[] = [
  ...commonMistakes("auction:finalize", ["--period", "1"], { required: ["--period"], sends: true }),
  refuse("auction:finalize", ["--period", "2"], /auction:finalize: period 2 is Open, not Cleared/),
  refuse("auction:finalize", ["--period", "8"], /Period 8 does not exist \(2 periods so far\)/),
  refuse("auction:finalize", ["--period", "1", "--batch", "0"], /--batch must be between 1 and 500 \(got 0\)/),
  refuse("auction:finalize", ["--period", "1", "--batch", "501"], /--batch must be between 1 and 500 \(got 501\)/),
  refuse("auction:finalize", ["--period", "1", "--batch", "all"], /--batch must be a whole number \(got "all"\)/),
  refuse(
    "auction:finalize",
    ["--period", "x", "--batch", "0"],
    /--period must be a whole number \(got "x"\)\n\s+- --batch must be between 1 and 500/,
  ),
];

const showCases: MalformedCase[] = [
  ...commonMistakes("auction:show", ["--period", "2"], { required: ["--period"] }),
  refuse("auction:show", ["--period", "0"], /--period must be between 1 and \d+ \(got 0\)/),
  refuse("auction:show", ["--period", "current"], /--period must be a whole number \(got "current"\)/),
  refuse("auction:show", ["--period", "3"], /Period 3 does not exist \(2 periods so far\)/),
  refuse("auction:show", ["--period", ""], /--period must be a whole number \(got ""\)/),
  refuse("auction:show", ["--period", "2", "--from", "1"], /Unrecognized param --from/),
  refuse("auction:show", ["--period", HUGE], /--period must be between 1 and \d+ \(got 10{80}\)/),
];

const nashCases: MalformedCase[] = [
  ...commonMistakes("auction:nash", ["--period", "2", "--dry-run"], { sends: true }),
  refuse("auction:nash", [], /give exactly one of --scenario <file\.json> or --period <id>/),
  refuse(
    "auction:nash",
    ["--period", "2", "--scenario", "scenarios/auction/hour24-buyers-market.json"],
    /give exactly one of --scenario/,
  ),
  refuse("auction:nash", ["--period", "2"], /--period needs --post \(send the revisions\) or --dry-run \(show them\)/),
  refuse(
    "auction:nash",
    ["--scenario", "scenarios/auction/hour24-buyers-market.json", "--post"],
    /--post needs --period/,
  ),
  refuse(
    "auction:nash",
    ["--period", "1", "--dry-run"],
    /auction:nash: period 1 is Cleared; the iteration runs while it is Open/,
  ),
  refuse("auction:nash", ["--period", "4", "--post"], /Period 4 does not exist \(2 periods so far\)/),
  refuse("auction:nash", ["--period", "two", "--post"], /--period must be a whole number \(got "two"\)/),
  refuse("auction:nash", (f) => ["--scenario", f.at("missing.json")], /scenario file .*missing\.json does not exist/),
  refuse("auction:nash", (f) => ["--scenario", f.at("folder")], /scenario file .*folder is a folder, not a file/),
  refuse("auction:nash", (f) => ["--scenario", f.at("broken.json")], /broken\.json is not valid JSON/),
  refuse("auction:nash", (f) => ["--scenario", f.at("empty.json")], /empty\.json is not valid JSON/),
  refuse("auction:nash", (f) => ["--scenario", f.at("null.json")], /invalid scenario .*null\.json: scenario/),
  refuse("auction:nash", (f) => ["--scenario", f.at("list.json")], /invalid scenario .*list\.json: scenario/),
  refuse("auction:nash", (f) => ["--scenario", f.at("plain.txt")], /plain\.txt is not valid JSON/),
  refuse("auction:nash", (f) => ["--scenario", f.at("scenario-extra-field.json")], /invalid scenario .*: .*sellerz/),
  refuse(
    "auction:nash",
    (f) => ["--scenario", f.at("scenario-tariffs.json")],
    /invalid scenario .*: retailTariff: must be above the feed-in tariff 1\.2/,
  ),
  refuse("auction:nash", (f) => ["--scenario", f.at("scenario-no-tick.json")], /invalid scenario .*: tick/),
  refuse(
    "auction:nash",
    (f) => ["--scenario", f.at("scenario-negative-kwh.json")],
    /invalid scenario .*: sellers\[0\]\.kwh/,
  ),
  refuse(
    "auction:nash",
    (f) => ["--scenario", f.at("scenario-duplicate-id.json")],
    /invalid scenario .*: buyers\[0\]\.id.*E/,
  ),
  refuse(
    "auction:nash",
    (f) => ["--scenario", f.at("scenario-price-text.json")],
    /invalid scenario .*: sellers\[0\]\.minPrice/,
  ),
];

export const AUCTION_CASES: MalformedCase[] = [
  ...openCases,
  ...orderCases("ask", "1", "0.60"),
  ...orderCases("bid", "2", "0.80"),
  ...reviseCases,
  ...cancelCases,
  ...closeCases,
  ...finalizeCases,
  ...showCases,
  ...nashCases,
];
