import type { Store } from "../store/store.js";

export const SYNC_SERVICES = ["listenbrainz", "lastfm", "librefm"] as const;
export type SyncService = (typeof SYNC_SERVICES)[number];

/** One row of sync_accounts: an account on a listening service and how far its sync got. */
export interface SyncAccount {
  service: SyncService;
  apiUrl: string;
  account: string;
  /** The user name its listens are stored under. */
  listener: string;
  /** Every listen at or before this Unix time is stored; null before the first complete sync. */
  syncedUntil: number | null;
  /** Paging position of an unfinished sync (service-specific), null when none is in progress. */
  walk: unknown;
}

/** The account once a walk has completed: every listen up to the walk's newest (`top`) is stored. */
export function completedWalk(account: SyncAccount, top: number | null): SyncAccount {
  const until = account.syncedUntil;
  return { ...account, syncedUntil: top == null ? until : Math.max(until ?? top, top), walk: null };
}

const COLUMNS = "service, api_url, account, listener, synced_until, walk";

function fromRow(row: Record<string, unknown>): SyncAccount {
  return {
    service: row.service as SyncService,
    apiUrl: String(row.api_url),
    account: String(row.account),
    listener: String(row.listener),
    syncedUntil: row.synced_until == null ? null : Number(row.synced_until),
    walk: row.walk == null ? null : JSON.parse(String(row.walk)),
  };
}

export async function findAccount(store: Store, service: SyncService, apiUrl: string, account: string): Promise<SyncAccount | null> {
  const rows = await store.all(`SELECT ${COLUMNS} FROM sync_accounts WHERE service = $service AND api_url = $url AND account = $account`, {
    service,
    url: apiUrl,
    account,
  });
  return rows.length === 0 ? null : fromRow(rows[0]);
}

/** Every account synced before, in the order they were first synced. */
export async function listAccounts(store: Store): Promise<SyncAccount[]> {
  return (await store.all(`SELECT ${COLUMNS} FROM sync_accounts ORDER BY rowid`)).map(fromRow);
}

/** Writes the account's state; call it inside the transaction that stored the page it describes. */
export async function saveAccount(store: Store, account: SyncAccount): Promise<void> {
  const key = { service: account.service, url: account.apiUrl, account: account.account };
  const values = {
    ...key,
    listener: account.listener,
    until: account.syncedUntil,
    walk: account.walk == null ? null : JSON.stringify(account.walk),
  };
  const updated = await store.connection.run(
    `UPDATE sync_accounts SET listener = $listener, synced_until = $until, walk = $walk, last_synced = now()::TIMESTAMP
     WHERE service = $service AND api_url = $url AND account = $account`,
    values,
  );
  if (updated.rowsChanged === 0) {
    await store.connection.run(
      `INSERT INTO sync_accounts VALUES ($service, $url, $account, $listener, $until, $walk, now()::TIMESTAMP)`,
      values,
    );
  }
}
