/**
 * Checks unpacked files against what the dataset's release is: every required file present, the
 * documented number of records, and the checksums known for certain. Nothing is imported unless
 * this passes.
 */
import type { DatasetFile, PublicDataset } from "./catalog.js";
import type { DigestOptions, FileDigest } from "./file-digest.js";

export interface Verification {
  /** Why the files are not the release; empty when they are. */
  problems: string[];
  /** Doubts that do not stop the import (a README's MD5 never confirmed here). */
  warnings: string[];
  /** One line per file that passed, saying what was checked. */
  passed: string[];
}

/** What to compute for a file while unpacking it. */
export function digestOptionsFor(file: DatasetFile): DigestOptions {
  return { md5: file.documentedMd5 != null, recordsAfterLines: file.recordsSha256 != null ? file.headerLines : undefined };
}

const count = (n: number) => n.toLocaleString("en");
const short = (hash: string | undefined) => `${(hash ?? "").slice(0, 12)}…`;

export function verifyRelease(dataset: PublicDataset, digests: ReadonlyMap<string, FileDigest>): Verification {
  const result: Verification = { problems: [], warnings: [], passed: [] };
  for (const file of dataset.files) {
    const digest = digests.get(file.name);
    if (!digest) {
      if (file.required) result.problems.push(`${file.name} is missing`);
      continue;
    }
    const problems: string[] = [];
    const checked: string[] = [];
    const records = Math.max(0, digest.lines - file.headerLines);
    if (file.records != null) {
      if (records !== file.records) problems.push(`${file.name} has ${count(records)} records, the release has ${count(file.records)}`);
      else checked.push(`${count(records)} records`);
    }
    if (file.sha256 != null) {
      if (digest.sha256 !== file.sha256) problems.push(`${file.name}: SHA-256 ${short(digest.sha256)} instead of the release's ${short(file.sha256)}`);
      else checked.push("SHA-256");
    }
    if (file.recordsSha256 != null) {
      if (digest.recordsSha256 !== file.recordsSha256) {
        problems.push(`${file.name}: its records differ from the release's (SHA-256 of the records ${short(digest.recordsSha256)} instead of ${short(file.recordsSha256)})`);
      } else checked.push("SHA-256 of the records");
    }
    if (file.documentedMd5 != null) {
      if (digest.md5 !== file.documentedMd5) {
        result.warnings.push(`${file.name}: MD5 ${digest.md5} differs from the ${file.documentedMd5} its README gives (the README's sum was never confirmed on a copy here)`);
      } else checked.push("MD5 as in its README");
    }
    result.problems.push(...problems);
    if (problems.length === 0) result.passed.push(`${file.name}: ${checked.length > 0 ? checked.join(", ") : "present"}`);
  }
  return result;
}
