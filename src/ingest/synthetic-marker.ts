import fs from "node:fs";

/**
 * `musicrec generate` writes, next to each data file, a marker `<file>.synthetic.json` with the
 * generator settings. Importing a file that has one records the import as synthetic, so the store
 * (Store.isSynthetic) and everything shown from it can say the data is not real.
 */
export const SYNTHETIC_MARKER_SUFFIX = ".synthetic.json";

export const markerPathOf = (dataFile: string): string => `${dataFile}${SYNTHETIC_MARKER_SUFFIX}`;

export function hasSyntheticMarker(dataFile: string): boolean {
  return fs.existsSync(markerPathOf(dataFile));
}
