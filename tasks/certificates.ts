import { task } from "hardhat/config";
import { parseIntegerArg, requireText, UINT64_MAX, UINT256_MAX, type Problems } from "../src/cli/args";
import { UserError, usageError } from "../src/cli/errors";
import { formatTable, printJson } from "../src/cli/output";
import { reportSend } from "../src/cli/report";
import { cliAction, ensureCompiled, withJson, withSend, type CommonArgs, type SendArgs } from "../src/cli/task";
import { certificatesAt } from "../src/chain/escrow";
import { simulateAndSend } from "../src/chain/send";
import { resolveAccount, resolveSigner } from "../src/chain/signers";
import type { GreenCertificate } from "../typechain-types";

/**
 * Green certificates: token id = delivery period (vintage), 1 unit = 1 Wh, one certificate = 1 MWh.
 */

const WH_PER_CERTIFICATE = 1_000_000n;
const MAX_BENEFICIARY_BYTES = 128;

/** Wh as certificates (MWh), exact: 1_500_000 -> "1.5". */
function certificatesText(wh: bigint): string {
  const fraction = (wh % WH_PER_CERTIFICATE).toString().padStart(6, "0").replace(/0+$/, "");
  return `${wh / WH_PER_CERTIFICATE}${fraction ? "." + fraction : ""}`;
}

/** Vintages the account ever received, from the certificate contract's transfer events. */
async function vintagesReceived(certificates: GreenCertificate, account: string): Promise<bigint[]> {
  const [single, batch] = await Promise.all([
    certificates.queryFilter(certificates.filters.TransferSingle(undefined, undefined, account)),
    certificates.queryFilter(certificates.filters.TransferBatch(undefined, undefined, account)),
  ]);
  const ids = new Set<bigint>();
  for (const e of single) ids.add(e.args.id);
  for (const e of batch) for (const id of e.args.ids) ids.add(id);
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

interface BalanceArgs extends CommonArgs {
  account: string;
  vintage?: string;
}

withJson(task("cert:balance", "Show an account's green certificates per vintage (1 certificate = 1 MWh)"))
  .addOptionalParam("account", "Holder: address or account index", "0")
  .addOptionalParam("vintage", "Only this vintage (delivery period)")
  .setAction(
    cliAction("cert:balance", async (args: BalanceArgs, hre) => {
      const problems: Problems = [];
      const vintage =
        args.vintage !== undefined ? parseIntegerArg("--vintage", args.vintage, problems, { max: UINT64_MAX }) : null;
      if (problems.length) throw usageError("cert:balance", problems);
      await ensureCompiled(hre);
      const certificates = await certificatesAt(hre);
      const account = await resolveAccount(hre, args.account, "--account");
      let vintages: bigint[];
      if (vintage !== null) {
        vintages = [vintage];
      } else {
        try {
          vintages = await vintagesReceived(certificates, account);
        } catch (error) {
          throw new UserError(
            `cert:balance: could not read the certificate history from this node (${
              (error as Error).message.split("\n")[0]
            }); pass --vintage`,
          );
        }
      }
      const rows = await Promise.all(
        vintages.map(async (v) => ({
          vintage: v,
          balanceWh: await certificates.balanceOf(account, v),
          retiredWh: await certificates.retiredWhOf(account, v),
        })),
      );
      const shown = vintage !== null ? rows : rows.filter((r) => r.balanceWh > 0n || r.retiredWh > 0n);
      if (args.json) return printJson({ account, whPerCertificate: WH_PER_CERTIFICATE, vintages: shown });
      if (shown.length === 0) return console.log(`${account} holds no green certificates.`);
      console.log(
        formatTable(
          ["vintage", "balance Wh", "certificates (MWh)", "retired Wh"],
          shown.map((r) => [r.vintage, r.balanceWh, certificatesText(r.balanceWh), r.retiredWh]),
        ),
      );
    }),
  );

interface RetireArgs extends SendArgs {
  vintage: string;
  amountWh: string;
  beneficiary: string;
}

withSend(task("cert:retire", "Retire (burn) green certificates, claiming them for a beneficiary"), "Holder")
  .addParam("vintage", "Vintage (delivery period) to retire from")
  .addParam("amountWh", "Amount in Wh (1 certificate = 1000000 Wh)")
  .addParam("beneficiary", `Who claims the green energy (1..${MAX_BENEFICIARY_BYTES} bytes), e.g. "Bakery Müller 2025"`)
  .setAction(
    cliAction("cert:retire", async (args: RetireArgs, hre) => {
      const problems: Problems = [];
      const vintage = parseIntegerArg("--vintage", args.vintage, problems, { max: UINT64_MAX });
      const amountWh = parseIntegerArg("--amount-wh", args.amountWh, problems, { min: 1n, max: UINT256_MAX });
      const beneficiary = requireText("--beneficiary", args.beneficiary, problems);
      const bytes = Buffer.byteLength(beneficiary, "utf8");
      if (bytes > MAX_BENEFICIARY_BYTES)
        problems.push(`--beneficiary is ${bytes} bytes long; at most ${MAX_BENEFICIARY_BYTES}`);
      if (problems.length) throw usageError("cert:retire", problems);

      await ensureCompiled(hre);
      const holder = await resolveSigner(hre, args.from);
      const certificates = await certificatesAt(hre, holder);
      const balance = await certificates.balanceOf(holder.address, vintage);
      if (balance < amountWh) {
        throw new UserError(
          `cert:retire: ${holder.address} holds ${balance} Wh of vintage ${vintage}, less than ${amountWh} Wh. Nothing was sent.`,
        );
      }
      const result = await simulateAndSend(hre, certificates, "retire", [vintage, amountWh, beneficiary], {
        label: "cert:retire",
        dryRun: args.dryRun,
      });
      reportSend(
        args,
        result,
        `Retired ${amountWh} Wh (${certificatesText(
          amountWh,
        )} certificates) of vintage ${vintage} for "${beneficiary}"`,
      );
    }),
  );
