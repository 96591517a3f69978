import type { Command } from "commander";
import { Store } from "../../store/store.js";
import { timingFromEnv } from "../../sync/http-timing.js";
import { syncAccount, type SyncRequest, type SyncResult } from "../../sync/sync-account.js";
import { listAccounts, SYNC_SERVICES, type SyncService } from "../../sync/sync-accounts.js";
import { UserError } from "../../util/errors.js";
import { statusProgressFor } from "../../util/progress.js";
import { interruptible } from "../interruptible.js";
import { dbPathOf } from "../options.js";

interface SyncFlags {
  token?: string;
  apiKey?: string;
  apiUrl?: string;
  as?: string;
  full?: boolean;
  json?: boolean;
}

const n = (value: number) => value.toLocaleString("en");

function describe(result: SyncResult): string {
  const extras = [
    `${n(result.duplicates)} already stored`,
    ...(result.skipped > 0 ? [`${n(result.skipped)} skipped`] : []),
    ...(result.rejected > 0 ? [`${n(result.rejected)} rejected`] : []),
  ];
  const as = result.listener === result.user ? "" : ` (stored as ${result.listener})`;
  return `${result.source} ${result.user}${as}: ${n(result.imported)} new listens (${extras.join(", ")}), ${n(result.pages)} page${result.pages === 1 ? "" : "s"}, ${result.seconds} s`;
}

function parseService(text: string): SyncService {
  const name = text.trim().toLowerCase();
  if ((SYNC_SERVICES as readonly string[]).includes(name)) return name as SyncService;
  throw new UserError(`unknown service "${text}": expected one of ${SYNC_SERVICES.join(", ")}`);
}

/** Keys come from flags, else the environment; they are never stored. */
function credentials(service: SyncService, flags: SyncFlags): Pick<SyncRequest, "token" | "apiKey"> {
  if (service === "listenbrainz") return { token: flags.token ?? process.env.LISTENBRAINZ_TOKEN };
  if (service === "lastfm") return { apiKey: flags.apiKey ?? process.env.LASTFM_API_KEY };
  return { apiKey: flags.apiKey };
}

export function registerSync(program: Command): void {
  program
    .command("sync")
    .description("pull a listening history by user name, incrementally; without arguments re-sync every account synced before")
    .argument("[service]", `one of ${SYNC_SERVICES.join(", ")}`)
    .argument("[user]", "the user name on that service")
    .option("--token <token>", "ListenBrainz user token (optional; default $LISTENBRAINZ_TOKEN)")
    .option("--api-key <key>", "Last.fm API key (default $LASTFM_API_KEY)")
    .option("--api-url <url>", "API base URL: a self-hosted ListenBrainz, a Libre.fm-compatible server, a mirror")
    .option("--as <name>", "store the listens under this user name (default: the user name on the service)")
    .option("--full", "walk the whole history again (catches listens submitted late with an older time)")
    .option("--json", "print {source, user, listener, imported, duplicates, skipped, rejected, pages, seconds} (an array without arguments)")
    .action(async (serviceText: string | undefined, user: string | undefined, flags: SyncFlags, command: Command) => {
      // Arguments are checked before the store is opened (and perhaps created).
      const service = serviceText == null ? null : parseService(serviceText);
      if (service != null && user == null) throw new UserError(`missing user name: musicrec sync ${service} USER`);
      if (service == null && (flags.apiUrl != null || flags.as != null)) {
        throw new UserError("--api-url and --as need a service and user: musicrec sync SERVICE USER");
      }
      const timing = timingFromEnv();
      const store = await Store.open(dbPathOf(command));
      try {
        const requests: SyncRequest[] =
          service != null && user != null
            ? [{ service, account: user, apiUrl: flags.apiUrl, listener: flags.as, full: flags.full, ...credentials(service, flags) }]
            : (await listAccounts(store)).map((account) => ({
                service: account.service,
                account: account.account,
                apiUrl: account.apiUrl,
                full: flags.full,
                ...credentials(account.service, flags),
              }));
        if (requests.length === 0) throw new UserError(`no account synced yet: musicrec sync ${SYNC_SERVICES.join("|")} USER`);
        const status = statusProgressFor({ json: flags.json });
        const results: SyncResult[] = [];
        let failed = 0;
        await interruptible(
          async (signal) => {
            for (const request of requests) {
              try {
                const result = await syncAccount(store, request, { timing, status, signal });
                results.push(result);
                if (!flags.json) process.stdout.write(`${describe(result)}\n`);
              } catch (error) {
                // One account failing does not stop the others of a full re-sync.
                if (service != null || !(error instanceof UserError)) throw error;
                failed++;
                process.stderr.write(`musicrec: ${error.message}\n`);
              }
            }
          },
          () => "interrupted; the pages stored so far are kept: run the same command again to resume",
        );
        if (flags.json && process.exitCode !== 130) {
          process.stdout.write(`${JSON.stringify(service == null ? results : results[0], null, 2)}\n`);
        }
        if (failed > 0) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
}
