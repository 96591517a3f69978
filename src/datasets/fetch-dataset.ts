/**
 * `musicrec datasets fetch`: get a public dataset's archive (download, a local file or another
 * URL), unpack it to the cache folder, verify it against the release, and only then import it
 * through the ordinary importers (one transaction). A download or an archive that fails is refused
 * with the reason and leaves the store as it was; the cache only ever holds a verified copy
 * (unpacked to a temporary folder, renamed into place once verified).
 */
import fs from "node:fs";
import path from "node:path";
import { UserError } from "../util/errors.js";
import { silentProgress, type Progress } from "../util/progress.js";
import { importPaths, type ImportSummary } from "../ingest/import-files.js";
import type { Store } from "../store/store.js";
import type { PublicDataset } from "./catalog.js";
import { downloadFile, DownloadError, type DownloadOptions } from "./download.js";
import { digestFile, type FileDigest } from "./file-digest.js";
import { unpackRelease } from "./unpack-release.js";
import { digestOptionsFor, verifyRelease, type Verification } from "./verify-release.js";

export interface FetchOptions {
  /** A local archive or unpacked folder, or another URL, instead of the dataset's own locations. */
  from?: string;
  /** Where archives are downloaded and releases unpacked (see datasetsDirFor). */
  cacheDir: string;
  /** Timeouts, retries, a signal to stop; progress and onRetry default to the ones below. */
  download?: Omit<DownloadOptions, "progress">;
  progress?: Progress;
  /** One-line notes on what happens (a retry, a cached copy used). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface FetchResult {
  dataset: string;
  /** Where the data came from: a URL, a local archive or folder, or the verified copy in the cache. */
  source: string;
  /** The verified, unpacked release. */
  folder: string;
  verification: Verification;
  import: ImportSummary;
}

const VERIFIED_STAMP = ".musicrec-verified.json";
const isUrl = (text: string) => /^https?:\/\//i.test(text);

/** The dataset's download locations: MUSICREC_DATASETS_URL (a mirror folder holding the archives) replaces its own. */
export function datasetUrls(dataset: PublicDataset, env: NodeJS.ProcessEnv = process.env): string[] {
  const base = env.MUSICREC_DATASETS_URL?.trim();
  if (!base) return dataset.urls;
  return [new URL(dataset.archive.file, base.endsWith("/") ? base : `${base}/`).href];
}

export async function fetchDataset(store: Store, dataset: PublicDataset, options: FetchOptions): Promise<FetchResult> {
  const progress = options.progress ?? silentProgress;
  const log = options.log ?? (() => {});
  const folder = path.join(options.cacheDir, dataset.name);
  const verified = options.from == null ? await cachedRelease(dataset, folder, log) : null;
  const release = verified ?? (await obtainRelease(dataset, folder, options, progress, log));
  const imported = dataset.imports.file == null ? release.folder : path.join(release.folder, dataset.imports.file);
  const summary = await importPaths(store, [imported], {
    format: dataset.imports.format,
    progress,
  });
  return { dataset: dataset.name, source: release.source, folder: release.folder, verification: release.verification, import: summary };
}

interface Release {
  source: string;
  folder: string;
  verification: Verification;
}

/** A copy verified earlier, checked again (files can change on disk); null when there is none or it no longer passes. */
async function cachedRelease(dataset: PublicDataset, folder: string, log: (line: string) => void): Promise<Release | null> {
  if (!fs.existsSync(path.join(folder, VERIFIED_STAMP))) return null;
  const verification = verifyRelease(dataset, await digestFolder(dataset, folder));
  if (verification.problems.length === 0) {
    log(`using the verified copy in ${folder}`);
    return { source: folder, folder, verification };
  }
  log(`the copy in ${folder} no longer matches the release (${verification.problems[0]}); fetching it again`);
  fs.rmSync(folder, { recursive: true, force: true });
  return null;
}

async function digestFolder(dataset: PublicDataset, folder: string): Promise<Map<string, FileDigest>> {
  const digests = new Map<string, FileDigest>();
  for (const file of dataset.files) {
    const filePath = path.join(folder, file.name);
    if (fs.existsSync(filePath)) digests.set(file.name, await digestFile(filePath, digestOptionsFor(file)));
  }
  return digests;
}

/** Downloads or opens the archive, unpacks it next to the cache folder, verifies, renames into place. */
async function obtainRelease(
  dataset: PublicDataset,
  folder: string,
  options: FetchOptions,
  progress: Progress,
  log: (line: string) => void,
): Promise<Release> {
  const from = options.from;
  if (from != null && !isUrl(from)) {
    const local = path.resolve(from);
    if (!fs.existsSync(local)) throw new UserError(`--from ${from}: no such file or folder`);
    if (fs.statSync(local).isDirectory()) return localFolder(dataset, local);
  }
  fs.mkdirSync(options.cacheDir, { recursive: true });
  let archive: string;
  let source: string;
  let downloaded = false;
  if (from != null && !isUrl(from)) {
    archive = source = path.resolve(from);
  } else {
    archive = path.join(options.cacheDir, dataset.archive.file);
    const urls = from != null ? [from] : datasetUrls(dataset, options.env);
    if (from == null && fs.existsSync(archive)) {
      source = archive;
      log(`using the archive downloaded earlier, ${archive}`);
    } else {
      try {
        source = (await downloadFile(urls, archive, { ...options.download, progress, onRetry: log })).url;
      } catch (error) {
        if (error instanceof DownloadError) {
          const kept = fs.existsSync(`${archive}.part`) ? ` (the part received is kept in ${options.cacheDir}; run the command again to resume)` : "";
          throw new UserError(`cannot download ${dataset.name}: ${error.message}${kept}; nothing was imported`);
        }
        throw error;
      }
    }
    downloaded = true;
  }

  const staging = path.join(options.cacheDir, `.${dataset.name}.unpacking-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  // A refused download is deleted: resuming it would only complete the same wrong file.
  const refuse = (reason: string): never => {
    fs.rmSync(staging, { recursive: true, force: true });
    if (downloaded) fs.rmSync(archive, { force: true });
    throw new UserError(`${source} is refused, nothing was imported: ${reason}`);
  };
  let verification: Verification;
  try {
    verification = verifyRelease(dataset, await unpackRelease(dataset, archive, staging, progress));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return refuse(error.message);
  }
  if (verification.problems.length > 0) return refuse(`it is not the ${dataset.title} release (${verification.problems.join("; ")})`);
  fs.writeFileSync(
    path.join(staging, VERIFIED_STAMP),
    JSON.stringify({ dataset: dataset.name, source, verifiedAt: new Date().toISOString(), passed: verification.passed }, null, 2),
  );
  fs.rmSync(folder, { recursive: true, force: true });
  fs.renameSync(staging, folder);
  if (downloaded) fs.rmSync(archive, { force: true });
  return { source, folder, verification };
}

/** `--from FOLDER`: an unpacked release, verified in place. */
async function localFolder(dataset: PublicDataset, folder: string): Promise<Release> {
  const verification = verifyRelease(dataset, await digestFolder(dataset, folder));
  if (verification.problems.length > 0) {
    throw new UserError(`${folder} is refused, nothing was imported: it is not the ${dataset.title} release (${verification.problems.join("; ")})`);
  }
  return { source: folder, folder, verification };
}
