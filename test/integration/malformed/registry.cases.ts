import { commonMistakes, refuse, withFlag, type MalformedCase } from "./cases";

const REGISTER = [
  "--from",
  "7",
  "--name",
  "Newcomer",
  "--meter-id",
  "MTR-N",
  "--device",
  "17",
  "--region",
  "1",
  "--voltage",
  "low",
  "--source",
  "solar",
  "--capacity-w",
  "5000",
];
const REGISTER_REQUIRED = ["--name", "--meter-id", "--device", "--region", "--voltage", "--source", "--capacity-w"];

const register = (flag: string, value: string) => withFlag(REGISTER, flag, value);

const ADDRESS = "0x[0-9a-fA-F]{40}";
const NOT_REGULATOR = new RegExp(`AccessControlUnauthorizedAccount\\(account=${ADDRESS}, neededRole=REGULATOR_ROLE\\)`);
const UNREGISTERED = "0x00000000000000000000000000000000000A11cE";

const registerCases: MalformedCase[] = [
  ...commonMistakes("registry:register", REGISTER, { required: REGISTER_REQUIRED, sends: true }),
  refuse("registry:register", register("--capacity-w", "0"), /--capacity-w must be between 1 and \d+ \(got 0\)/),
  refuse("registry:register", register("--capacity-w", "5kW"), /--capacity-w must be a whole number \(got "5kW"\)/),
  refuse("registry:register", register("--battery-wh", "-1"), /--battery-wh must be between 0 and \d+ \(got -1\)/),
  refuse("registry:register", register("--voltage", "ultra"), /--voltage must be low, medium or high \(got "ultra"\)/),
  refuse("registry:register", register("--source", "coal"), /--source "coal" is not a known source/),
  refuse("registry:register", register("--region", "9"), /--region 9 is not a known region \(known: 1, 2, 3\)/),
  refuse("registry:register", register("--region", "70000"), /--region must be between 0 and 65535 \(got 70000\)/),
  refuse("registry:register", register("--name", " "), /--name is required/),
  refuse("registry:register", register("--meter-id", "M".repeat(32)), /--meter-id must be 1 to 31 bytes/),
  refuse(
    "registry:register",
    register("--device", "0x1234"),
    /--device "0x1234" is neither an address nor an account index/,
  ),
  refuse("registry:register", register("--device", "25"), /--device 25: network "hardhat" has 20 accounts/),
  refuse(
    "registry:register",
    register("--settlement", "0x" + "0".repeat(40)),
    /--settlement is the zero address, which no one controls/,
  ),
  refuse(
    "registry:register",
    register("--settlement", "bank"),
    /--settlement "bank" is neither an address nor an account index/,
  ),
  refuse("registry:register", REGISTER, /registry:register failed: .* has not enough ether to pay for gas/, {
    noGas: [7],
  }),
  refuse(
    "registry:register",
    register("--from", "1"),
    /RegistryAlreadyRegistered\(account=0x[0-9a-fA-F]{40}, status=Approved\)/,
  ),
  refuse(
    "registry:register",
    register("--meter-id", "MTR-Seller"),
    /RegistryMeterIdTaken\(meterId="MTR-Seller", owner=0x[0-9a-fA-F]{40}\)/,
  ),
  refuse("registry:register", register("--device", "11"), /RegistryMeterDeviceTaken\(device=0x[0-9a-fA-F]{40}, owner=/),
];

/** approve, reject, suspend, reinstate, delist: the generated review tasks. */
function review(action: string, valid: string[], specific: MalformedCase[]): MalformedCase[] {
  const task = `registry:${action}`;
  return [
    ...commonMistakes(task, valid, { required: ["--account"], sends: true }),
    refuse(task, ["--account", "nobody"], /--account "nobody" is neither an address nor an account index/),
    refuse(task, ["--account", "0x12"], /--account "0x12" is neither an address nor an account index/),
    refuse(task, ["--account", "30"], /--account 30: network "hardhat" has 20 accounts/),
    refuse(task, ["--account", UNREGISTERED], /0x0+A11cE: the account is not registered\. Nothing was sent\./),
    refuse(task, ["--account", "5"], /the account is not registered/),
    ...specific,
  ];
}

const reviewCases: MalformedCase[] = [
  ...review(
    "approve",
    ["--account", "3"],
    [
      refuse(
        "registry:approve",
        ["--account", "1"],
        /a participant that is Approved cannot be moved to Approved \(approve applies to Pending\)/,
      ),
      refuse(
        "registry:approve",
        ["--account", "4"],
        /Suspended cannot be moved to Approved \(approve applies to Pending\)/,
      ),
      refuse("registry:approve", ["--account", "3", "--from", "1"], NOT_REGULATOR),
    ],
  ),
  ...review(
    "reject",
    ["--account", "3", "--reason", "12"],
    [
      refuse(
        "registry:reject",
        ["--account", "3", "--reason", "70000"],
        /--reason must be between 0 and 65535 \(got 70000\)/,
      ),
      refuse(
        "registry:reject",
        ["--account", "3", "--reason", "spam"],
        /--reason must be a whole number \(got "spam"\)/,
      ),
      refuse(
        "registry:reject",
        ["--account", "1"],
        /Approved cannot be moved to Rejected \(reject applies to Pending\)/,
      ),
      refuse("registry:reject", ["--account", "3", "--from", "2"], NOT_REGULATOR),
    ],
  ),
  ...review(
    "suspend",
    ["--account", "1", "--reason", "4"],
    [
      refuse(
        "registry:suspend",
        ["--account", "1", "--reason", "-4"],
        /--reason must be between 0 and 65535 \(got -4\)/,
      ),
      refuse(
        "registry:suspend",
        ["--account", "1", "--reason", "1.5"],
        /--reason must be a whole number \(got "1\.5"\)/,
      ),
      refuse(
        "registry:suspend",
        ["--account", "3"],
        /Pending cannot be moved to Suspended \(suspend applies to Approved\)/,
      ),
      refuse("registry:suspend", ["--account", "4"], /Suspended cannot be moved to Suspended/),
      refuse("registry:suspend", ["--account", "2", "--from", "1"], NOT_REGULATOR),
    ],
  ),
  ...review(
    "reinstate",
    ["--account", "4"],
    [
      refuse(
        "registry:reinstate",
        ["--account", "1"],
        /Approved cannot be moved to Approved \(reinstate applies to Suspended\)/,
      ),
      refuse(
        "registry:reinstate",
        ["--account", "3"],
        /Pending cannot be moved to Approved \(reinstate applies to Suspended\)/,
      ),
      refuse("registry:reinstate", ["--account", "4", "--from", "4"], NOT_REGULATOR),
      refuse("registry:reinstate", ["--account", "4", "--reason", "1"], /Unrecognized param --reason/),
    ],
  ),
  ...review(
    "delist",
    ["--account", "3"],
    [
      refuse("registry:delist", ["--account", "1"], /RegistryOpenTrades\(account=0x[0-9a-fA-F]{40}, openTrades=1\)/),
      refuse("registry:delist", ["--account", "3", "--reason", "x"], /--reason must be a whole number \(got "x"\)/),
      refuse("registry:delist", ["--account", "3", "--from", "5"], NOT_REGULATOR),
    ],
  ),
];

const rotateCases: MalformedCase[] = [
  ...commonMistakes("registry:rotate-meter", ["--from", "1", "--device", "17"], { sends: true }),
  refuse("registry:rotate-meter", ["--from", "1"], /--device is required/),
  refuse(
    "registry:rotate-meter",
    ["--approve", "--cancel", "--account", "1"],
    /--approve and --cancel exclude each other/,
  ),
  refuse("registry:rotate-meter", ["--approve", "--device", "17"], /--approve needs --account \(the participant\)/),
  refuse("registry:rotate-meter", ["--account", "1", "--device", "17"], /--account is only used with --approve/),
  refuse(
    "registry:rotate-meter",
    ["--from", "1", "--device", "meter"],
    /--device "meter" is neither an address nor an account index/,
  ),
  refuse(
    "registry:rotate-meter",
    ["--approve", "--account", "1", "--device", "17"],
    /RegistryNoPendingRotation\(account=0x[0-9a-fA-F]{40}\)/,
  ),
  refuse("registry:rotate-meter", ["--from", "1", "--cancel"], /RegistryNoPendingRotation/),
  refuse(
    "registry:rotate-meter",
    ["--from", "5", "--device", "17"],
    /RegistryNotRegistered\(account=0x[0-9a-fA-F]{40}\)/,
  ),
  refuse(
    "registry:rotate-meter",
    ["--from", "1", "--device", "12"],
    /RegistryMeterDeviceTaken\(device=0x[0-9a-fA-F]{40}, owner=/,
  ),
  refuse("registry:rotate-meter", ["--from", "2", "--approve", "--account", "1", "--device", "17"], NOT_REGULATOR),
];

const readCases: MalformedCase[] = [
  ...commonMistakes("registry:show", ["--account", "1"], { required: ["--account"] }),
  refuse("registry:show", ["--account", "5"], /registry:show: 0x[0-9a-fA-F]{40} is not registered/),
  refuse("registry:show", ["--account", UNREGISTERED], /0x0+A11cE is not registered/),
  refuse("registry:show", ["--account", "Seller"], /--account "Seller" is neither an address nor an account index/),
  refuse("registry:show", ["--account", "-1"], /--account "-1" is neither an address nor an account index/),
  refuse("registry:show", ["--account", "21"], /--account 21: network "hardhat" has 20 accounts/),
  refuse("registry:show", ["--account", "1", "--dry-run"], /Unrecognized param --dry-run/),

  ...commonMistakes("registry:list", ["--limit", "10"], {}),
  refuse("registry:list", ["--offset", "-1"], /--offset must be between 0 and 1000000000 \(got -1\)/),
  refuse("registry:list", ["--offset", "first"], /--offset must be a whole number \(got "first"\)/),
  refuse("registry:list", ["--limit", "0"], /--limit must be between 1 and 10000 \(got 0\)/),
  refuse("registry:list", ["--limit", "10001"], /--limit must be between 1 and 10000 \(got 10001\)/),
  refuse("registry:list", ["--limit", "2.5"], /--limit must be a whole number \(got "2\.5"\)/),
  refuse(
    "registry:list",
    ["--status", "Sleeping"],
    /--status must be one of Pending, Approved, Rejected, Suspended, Delisted/,
  ),
  refuse("registry:list", ["--status", "None"], /--status must be one of Pending/),
  refuse("registry:list", ["--status", "approved", "--limit", "x"], /--limit must be a whole number \(got "x"\)/),

  ...commonMistakes("registry:regions", ["--json"], {}),
  refuse("registry:regions", ["--json", "--json"], /Repeated parameter --json/),
  refuse("registry:regions", ["--region", "1"], /Unrecognized param --region/),
  refuse("registry:regions", ["--from", "1"], /Unrecognized param --from/),
  refuse("registry:regions", ["--dry-run"], /Unrecognized param --dry-run/),
  refuse("registry:regions", ["-j"], /Unrecognized positional argument -j/),
  refuse("registry:regions", ["--JSON"], /Invalid param --JSON/),
  refuse("registry:regions", ["North"], /Unrecognized positional argument North/),
];

export const REGISTRY_CASES: MalformedCase[] = [...registerCases, ...reviewCases, ...rotateCases, ...readCases];
