import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  PARTICIPANT_STATUSES,
  REVIEW_ACTIONS,
  VOLTAGE_LEVELS,
  parseEnergySource,
  registrationProblems,
  transitionProblem,
  type ParticipantRecord,
  type ReviewAction,
  type VoltageLevelName,
} from "../src/core/registry";
import { parseIntegerArg, parseSmallIntArg, requireText, UINT16_MAX, UINT64_MAX, type Problems } from "../src/cli/args";
import { UserError, usageError } from "../src/cli/errors";
import { formatFields, formatTable, printJson } from "../src/cli/output";
import { cliAction, ensureCompiled, withJson, withSend, type CommonArgs, type SendArgs } from "../src/cli/task";
import { encodeRegistration, listParticipants, readParticipant, readRegions, registryAt } from "../src/chain/registry";
import { resolveAccount, resolveSigner } from "../src/chain/signers";
import { simulateAndSend } from "../src/chain/send";
import { reportSend as report } from "../src/cli/report";

function parseVoltage(value: unknown, problems: Problems): number {
  const text = String(value ?? "")
    .trim()
    .toLowerCase();
  if (text in VOLTAGE_LEVELS) return VOLTAGE_LEVELS[text as VoltageLevelName];
  if (/^[1-3]$/.test(text)) return Number(text);
  problems.push(`--voltage must be low, medium or high (got ${JSON.stringify(value ?? "")})`);
  return 0;
}

async function prepare(hre: HardhatRuntimeEnvironment, from: string) {
  await ensureCompiled(hre);
  const signer = await resolveSigner(hre, from);
  return { signer, registry: await registryAt(hre, signer) };
}

interface RegisterArgs extends SendArgs {
  name: string;
  meterId: string;
  device: string;
  region: string;
  voltage: string;
  source: string;
  capacityW: string;
  batteryWh: string;
  settlement?: string;
}

withSend(
  task("registry:register", "Register the --from account as a prosumer (status Pending until reviewed)"),
  "Prosumer account: index or address",
)
  .addParam("name", "Display name (1..64 bytes)")
  .addParam("meterId", "Smart meter id (1..31 bytes, unique)")
  .addParam("device", "Meter device address that signs readings (or an account index)")
  .addParam("region", "Grid zone id (see registry:regions)")
  .addParam("voltage", "Voltage level: low, medium or high")
  .addParam("source", "Generation: solar, wind, hydro, biomass, storage, fossil or none")
  .addParam("capacityW", "Generation or consumption capacity in W")
  .addOptionalParam("batteryWh", "Battery capacity in Wh", "0")
  .addOptionalParam("settlement", "Settlement account for payouts (default: the prosumer)")
  .setAction(
    cliAction("registry:register", async (args: RegisterArgs, hre) => {
      const problems: Problems = [];
      const displayName = requireText("--name", args.name, problems);
      const meterId = requireText("--meter-id", args.meterId, problems);
      const region = parseSmallIntArg("--region", args.region, problems, 0, UINT16_MAX);
      const voltageLevel = parseVoltage(args.voltage, problems);
      const source = parseEnergySource(String(args.source ?? ""));
      if (!source)
        problems.push(
          `--source "${args.source}" is not a known source (solar, wind, hydro, biomass, storage, fossil, none)`,
        );
      const capacityW = parseIntegerArg("--capacity-w", args.capacityW, problems, { min: 1n, max: UINT64_MAX });
      const batteryWh = parseIntegerArg("--battery-wh", args.batteryWh, problems, { max: UINT64_MAX });
      if (problems.length) throw usageError("registry:register", problems);

      const { signer, registry } = await prepare(hre, args.from);
      const reg = {
        displayName,
        meterId,
        meterDevice: await resolveAccount(hre, args.device, "--device"),
        region,
        voltageLevel,
        source: source!,
        capacityW,
        batteryWh,
        settlementAccount: args.settlement
          ? await resolveAccount(hre, args.settlement, "--settlement")
          : signer.address,
      };
      const regions = await readRegions(registry);
      const invalid = registrationProblems(
        reg,
        regions.map((r) => r.id),
      );
      if (invalid.length) throw usageError("registry:register", invalid);

      const result = await simulateAndSend(hre, registry, "register", [encodeRegistration(reg)], {
        label: "registry:register",
        dryRun: args.dryRun,
      });
      report(args, result, `Registered ${signer.address} as "${displayName}" (Pending review)`);
    }),
  );

interface ReviewArgs extends SendArgs {
  account: string;
  reason: string;
}

const REVIEW_DESCRIPTIONS: Record<ReviewAction, string> = {
  approve: "Regulator: approve a pending registration",
  reject: "Regulator: reject a pending registration with a reason code",
  suspend: "Regulator: suspend an approved participant with a reason code",
  reinstate: "Regulator: reinstate a suspended participant",
  delist: "Delist a participant for good (the regulator, or the participant itself); refused while trades are open",
};

const TAKES_REASON: ReadonlySet<ReviewAction> = new Set(["reject", "suspend", "delist"]);

for (const action of Object.keys(REVIEW_ACTIONS) as ReviewAction[]) {
  const name = `registry:${action}`;
  let definition = withSend(task(name, REVIEW_DESCRIPTIONS[action])).addParam(
    "account",
    "Participant: address or account index",
  );
  if (TAKES_REASON.has(action)) definition = definition.addOptionalParam("reason", "Reason code (0..65535)", "0");
  definition.setAction(
    cliAction(name, async (args: ReviewArgs, hre) => {
      const problems: Problems = [];
      const reason = TAKES_REASON.has(action) ? parseSmallIntArg("--reason", args.reason, problems, 0, UINT16_MAX) : 0;
      if (problems.length) throw usageError(name, problems);

      const { registry } = await prepare(hre, args.from);
      const account = await resolveAccount(hre, args.account, "--account");
      const status = PARTICIPANT_STATUSES[Number(await registry.statusOf(account))];
      const problem = transitionProblem(action, status);
      if (problem) throw new UserError(`${name}: ${account}: ${problem}. Nothing was sent.`);

      const callArgs = TAKES_REASON.has(action) ? [account, reason] : [account];
      const result = await simulateAndSend(hre, registry, action, callArgs, { label: name, dryRun: args.dryRun });
      report(args, result, `${account}: ${status} -> ${REVIEW_ACTIONS[action].to}`);
    }),
  );
}

interface RotateArgs extends SendArgs {
  device?: string;
  account?: string;
  approve: boolean;
  cancel: boolean;
}

withSend(
  task(
    "registry:rotate-meter",
    "Rotate a meter device: the prosumer requests (--device), the regulator approves (--approve --account --device)",
  ),
)
  .addOptionalParam("device", "New meter device address (or account index)")
  .addOptionalParam("account", "With --approve: the participant whose request is approved")
  .addFlag("approve", "Regulator: approve the participant's pending rotation to --device")
  .addFlag("cancel", "Prosumer: withdraw the pending rotation request")
  .setAction(
    cliAction("registry:rotate-meter", async (args: RotateArgs, hre) => {
      const problems: Problems = [];
      if (args.approve && args.cancel) problems.push("--approve and --cancel exclude each other");
      if (!args.cancel && !args.device) problems.push("--device is required");
      if (args.approve && !args.account) problems.push("--approve needs --account (the participant)");
      if (!args.approve && args.account) problems.push("--account is only used with --approve");
      if (problems.length) throw usageError("registry:rotate-meter", problems);

      const { signer, registry } = await prepare(hre, args.from);
      if (args.cancel) {
        const result = await simulateAndSend(hre, registry, "cancelMeterRotation", [], {
          label: "registry:rotate-meter --cancel",
          dryRun: args.dryRun,
        });
        return report(args, result, `${signer.address}: meter rotation request withdrawn`);
      }
      const device = await resolveAccount(hre, args.device!, "--device");
      if (args.approve) {
        const account = await resolveAccount(hre, args.account!, "--account");
        const result = await simulateAndSend(hre, registry, "approveMeterRotation", [account, device], {
          label: "registry:rotate-meter --approve",
          dryRun: args.dryRun,
        });
        return report(args, result, `${account}: meter device is now ${device}`);
      }
      const result = await simulateAndSend(hre, registry, "requestMeterRotation", [device], {
        label: "registry:rotate-meter",
        dryRun: args.dryRun,
      });
      report(args, result, `${signer.address}: rotation to ${device} requested, awaiting the regulator`);
    }),
  );

function describeParticipant(p: ParticipantRecord): string {
  const r = p.registration;
  const lines: [string, unknown][] = [
    ["account", p.account],
    ["status", p.reasonCode ? `${p.status} (reason ${p.reasonCode})` : p.status],
    ["eligibility", p.eligibility],
    ["name", r.displayName],
    ["meter id", r.meterId],
    ["meter device", r.meterDevice],
    ["pending device", p.pendingMeterDevice ?? "-"],
    ["region", r.region],
    ["voltage level", r.voltageLevel],
    ["source", r.source],
    ["capacity (W)", r.capacityW],
    ["battery (Wh)", r.batteryWh],
    ["settlement", r.settlementAccount],
    ["open trades", p.openTrades],
    ["completed trades", p.completedTrades],
    ["defaults", p.defaults],
    ["last price/kWh", p.lastPricePerKwh],
  ];
  return formatFields(lines);
}

interface ShowArgs extends CommonArgs {
  account: string;
}

withJson(task("registry:show", "Show one participant's record"))
  .addParam("account", "Participant: address or account index")
  .setAction(
    cliAction("registry:show", async (args: ShowArgs, hre) => {
      await ensureCompiled(hre);
      const registry = await registryAt(hre);
      const account = await resolveAccount(hre, args.account, "--account");
      const record = await readParticipant(registry, account);
      if (record.status === "None") throw new UserError(`registry:show: ${account} is not registered`);
      if (args.json) return printJson(record);
      console.log(describeParticipant(record));
    }),
  );

interface ListArgs extends CommonArgs {
  offset: string;
  limit: string;
  status?: string;
}

withJson(task("registry:list", "List participants, page by page"))
  .addOptionalParam("offset", "Index of the first participant", "0")
  .addOptionalParam("limit", "How many participants at most", "100")
  .addOptionalParam("status", "Only this status (Pending, Approved, Rejected, Suspended, Delisted)")
  .setAction(
    cliAction("registry:list", async (args: ListArgs, hre) => {
      const problems: Problems = [];
      const offset = parseSmallIntArg("--offset", args.offset, problems, 0, 1_000_000_000);
      const limit = parseSmallIntArg("--limit", args.limit, problems, 1, 10_000);
      const status = args.status
        ? PARTICIPANT_STATUSES.find((s) => s.toLowerCase() === args.status!.toLowerCase())
        : undefined;
      if (args.status && (!status || status === "None"))
        problems.push(`--status must be one of ${PARTICIPANT_STATUSES.slice(1).join(", ")}`);
      if (problems.length) throw usageError("registry:list", problems);

      await ensureCompiled(hre);
      const registry = await registryAt(hre);
      const all = await listParticipants(registry, { offset, limit });
      const rows = status ? all.filter((p) => p.status === status) : all;
      if (args.json) return printJson({ total: Number(await registry.participantCount()), offset, participants: rows });
      console.log(
        formatTable(
          ["account", "name", "status", "region", "source", "capacity W", "trades", "defaults", "eligible"],
          rows.map((p) => [
            p.account,
            p.registration.displayName,
            p.status,
            p.registration.region,
            p.registration.source,
            p.registration.capacityW,
            p.completedTrades,
            p.defaults,
            p.eligibility === "Eligible" ? "yes" : p.eligibility,
          ]),
        ),
      );
    }),
  );

withJson(task("registry:regions", "List the grid zones prosumers may register in")).setAction(
  cliAction("registry:regions", async (args: CommonArgs, hre) => {
    await ensureCompiled(hre);
    const regions = await readRegions(await registryAt(hre));
    if (args.json) return printJson(regions);
    console.log(
      formatTable(
        ["id", "name"],
        regions.map((r) => [r.id, r.name]),
      ),
    );
  }),
);
