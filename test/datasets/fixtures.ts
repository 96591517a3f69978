/**
 * Archives built in the tests: zips with Python's zipfile (as test/util/zip.test.ts does),
 * tar.gz with the `tar` package. The real HetRec release comes from ../shared/data; the "mini"
 * release, a HetRec-shaped dataset of the fixture folder plus a 300 KB readme, works without it.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { create as createTar } from "tar";
import type { PublicDataset } from "../../src/datasets/catalog.js";
import { fixture, sharedData } from "../ingest/helpers.js";

export const HETREC_FOLDER = path.join(sharedData, "hetrec2011-lastfm-2k");
export const hasHetrec = fs.existsSync(path.join(HETREC_FOLDER, "user_artists.dat"));
export const HETREC_SKIP_MESSAGE = `skipped: ${HETREC_FOLDER} is absent (the real HetRec release is needed)`;

/** Zips `folder`'s files (deflated), optionally inside a folder of the archive. */
export function makeZip(zipPath: string, folder: string, inside = ""): string {
  const script =
    "import os,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\n" +
    "for f in sorted(os.listdir(sys.argv[2])): z.write(os.path.join(sys.argv[2],f),sys.argv[3]+f)\nz.close()";
  execFileSync("python3", ["-c", script, zipPath, folder, inside]);
  return zipPath;
}

/** tar.gz of `folder`'s files inside the archive folder `inside`. */
export async function makeTarGz(file: string, folder: string, inside: string): Promise<string> {
  const parent = path.dirname(folder);
  const staged = path.join(parent, inside);
  if (path.resolve(staged) !== path.resolve(folder)) fs.cpSync(folder, staged, { recursive: true });
  await createTar({ gzip: true, file, cwd: parent }, [inside]);
  return file;
}

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
function lines(file: string): number {
  const text = fs.readFileSync(file, "utf8");
  return (text.match(/\n/g)?.length ?? 0) + (text.length > 0 && !text.endsWith("\n") ? 1 : 0);
}

/** A HetRec-shaped release in `dir`/mini (fixture files plus a 300 KB readme) and its catalog entry. */
export function miniRelease(dir: string): { dataset: PublicDataset; folder: string } {
  const folder = path.join(dir, "mini");
  fs.mkdirSync(folder, { recursive: true });
  for (const name of fs.readdirSync(fixture("hetrec-mini"))) fs.copyFileSync(path.join(fixture("hetrec-mini"), name), path.join(folder, name));
  fs.writeFileSync(path.join(folder, "readme.txt"), `${crypto.randomBytes(150_000).toString("hex")}\n`);
  const file = (name: string, required = true) => ({
    name,
    required,
    headerLines: name === "readme.txt" ? 0 : 1,
    records: lines(path.join(folder, name)) - (name === "readme.txt" ? 0 : 1),
    sha256: sha256(path.join(folder, name)),
  });
  const dataset: PublicDataset = {
    name: "mini-hetrec",
    title: "Mini HetRec",
    publisher: "the tests",
    level: "artist",
    homepage: "http://127.0.0.1/",
    archive: { file: "mini-hetrec.zip", kind: "zip", size: "300 KB" },
    urls: ["http://127.0.0.1:9/mini-hetrec.zip"],
    contents: "fixture",
    documented: "fixture",
    licence: "test data",
    files: ["readme.txt", "artists.dat", "user_artists.dat", "tags.dat", "user_taggedartists.dat"].map((name) => file(name)),
    imports: { file: null, format: "hetrec" },
  };
  return { dataset, folder };
}
