/** The description `musicrec export parquet` writes next to its Parquet files, and reading it back. */
import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../util/errors.js";

export const EXPORT_MANIFEST = "musicrec-export.json";

const manifestSchema = z.object({
  format: z.literal("musicrec-parquet-export"),
  version: z.literal(1),
  exportedAt: z.string(),
  store: z.string(),
  synthetic: z.boolean(),
  level: z.enum(["track", "artist"]),
  kCore: z.object({ minUserItems: z.number().int().positive(), minItemUsers: z.number().int().positive() }),
  /** Set when only the train period of `evaluate --protocol time --test-fraction f` was exported. */
  holdout: z.object({ protocol: z.literal("time"), testFraction: z.number(), cutoff: z.string() }).nullable().default(null),
  users: z.number().int().nonnegative(),
  items: z.number().int().nonnegative(),
  interactions: z.number().int().nonnegative(),
});

export type ExportManifest = z.infer<typeof manifestSchema>;

/** The manifest of an export folder, or null when the folder has none (not a musicrec export). */
export async function readExportManifest(dir: string): Promise<ExportManifest | null> {
  const file = path.join(dir, EXPORT_MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${file}: field "${issue.path.join(".")}": ${issue.message}`);
  }
  return parsed.data;
}
