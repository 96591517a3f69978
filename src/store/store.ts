import fs from "node:fs";
import path from "node:path";
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { UserError } from "../util/errors.js";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";
import { openWhenFree, type LockWaitOptions } from "./store-lock.js";

export interface StoreOptions extends LockWaitOptions {
  readOnly?: boolean;
  /** DuckDB memory limit (e.g. "2GB"); large imports spill to disk beyond it. Default $MUSICREC_DUCKDB_MEMORY or 2GB. */
  memoryLimit?: string;
}

type Row = Record<string, DuckDBValue>;

/** The embedded DuckDB store of users, items, listening events and tags (schema in schema.ts). */
export class Store {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  /**
   * Opens (and, unless read-only, creates) the store; ":memory:" gives a throwaway store. When
   * another process holds the file (DuckDB allows one writer or several readers), it waits for
   * it with a one-line message, up to the lock wait (store-lock.ts), then fails with a clear error.
   */
  static async open(file: string, options: StoreOptions = {}): Promise<Store> {
    const inMemory = file === ":memory:";
    const resolved = inMemory ? file : path.resolve(file);
    const readOnly = Boolean(options.readOnly);
    if (!inMemory) {
      if (readOnly && !fs.existsSync(resolved)) {
        throw new UserError(`no store at ${resolved}: import data first (musicrec import FILE, or musicrec generate)`, 404);
      }
      fs.mkdirSync(path.dirname(resolved), { recursive: true });
    }
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? process.env.MUSICREC_DUCKDB_MEMORY ?? "2GB",
    };
    if (readOnly) config.access_mode = "READ_ONLY";
    const instance = await openWhenFree(resolved, () => DuckDBInstance.create(resolved, config), options);
    const connection = await instance.connect();
    const store = new Store(resolved, instance, connection, readOnly);
    if (!readOnly) await store.ensureSchema();
    return store;
  }

  private async ensureSchema(): Promise<void> {
    await this.connection.run(SCHEMA_SQL);
    const found = await this.all("SELECT value FROM meta WHERE key = 'schema_version'");
    if (found.length === 0) {
      await this.connection.run("INSERT INTO meta VALUES ('schema_version', $v)", { v: String(SCHEMA_VERSION) });
    } else if (Number(found[0].value) !== SCHEMA_VERSION) {
      throw new UserError(`store ${this.path} has schema version ${String(found[0].value)}, this musicrec needs ${SCHEMA_VERSION}`);
    }
  }

  /** Runs a query and returns its rows as objects (for small results; bulk data goes through typed readers). */
  async all(sql: string, values?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql, values);
    return reader.getRowObjects();
  }

  /** A single number from a scalar query (COUNT, MAX, ...); null when the result is NULL. */
  async scalar(sql: string, values?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<number | null> {
    const rows = await this.connection.runAndReadAll(sql, values);
    const value = rows.getRows()[0]?.[0];
    return value == null ? null : Number(value);
  }

  private transactionDepth = 0;

  /**
   * Runs `work` in one transaction: everything it wrote is rolled back if it throws. Called inside
   * another transaction it joins that one, so a caller can commit an import together with its own
   * writes (a synced page and the sync's position) or not at all.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.transactionDepth > 0) {
      this.transactionDepth++;
      try {
        return await work();
      } finally {
        this.transactionDepth--;
      }
    }
    this.transactionDepth = 1;
    try {
      return await this.outermostTransaction(work);
    } finally {
      this.transactionDepth = 0;
    }
  }

  private async outermostTransaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run("BEGIN TRANSACTION");
    try {
      const result = await work();
      await this.connection.run("COMMIT");
      return result;
    } catch (error) {
      await this.connection.run("ROLLBACK");
      throw error;
    }
  }

  async isEmpty(): Promise<boolean> {
    return (await this.scalar("SELECT count(*) FROM (SELECT 1 FROM events LIMIT 1)")) === 0;
  }

  /** True when every import that added data came from `musicrec generate` (the data is not real). */
  async isSynthetic(): Promise<boolean> {
    const rows = await this.all(
      "SELECT count(*) AS n, coalesce(bool_and(synthetic), false) AS synthetic FROM imports WHERE events_added > 0",
    );
    return Number(rows[0].n) > 0 && rows[0].synthetic === true;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
