/**
 * A file name for any user name: portable characters only (letters, digits, "-", "_", "."), no
 * leading dot, bounded length. When the name had to change, a short hash of the original keeps two
 * different users ("a/b" and "a?b") from writing the same file.
 */
import { createHash } from "node:crypto";

const MAX_STEM = 80;

export function safeFileStem(name: string): string {
  const ascii = name.normalize("NFKD").replace(/\p{M}/gu, "");
  let stem = ascii.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(0, MAX_STEM);
  // Windows refuses device names as file names, with any extension.
  if (stem !== name || stem === "" || /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(stem)) {
    const hash = createHash("sha1").update(name, "utf8").digest("hex").slice(0, 8);
    stem = `${stem === "" ? "user" : stem}-${hash}`;
  }
  return stem;
}
