/**
 * A trained model bundle on disk, next to the store (config.bundleDirFor):
 *
 *   musicrec.models/
 *     CURRENT                      name of the live version (replaced atomically)
 *     v20261125T123000123Z/        one version: manifest.json, catalog.json, *.bin
 *
 * A save writes a complete new version directory, fsyncs it, then atomically renames a new
 * CURRENT file over the old one; only then are older versions deleted. A crash or Ctrl-C at any
 * point leaves CURRENT pointing at a complete bundle (orphaned partial versions are removed by
 * the next save). Arrays are raw little-endian Float32/Int32 files described by the manifest.
 *
 * Every model is saved in one shape: `params` (its constructor parameters, unchanged) and
 * `learned` (what fit learned, as JSON, each typed array replaced by `{ "$array": file entry }`),
 * plus `components` for the hybrid's parts. A bundle of another format version is refused with a
 * "train again" message rather than misread. Imported models (`musicrec import-model`) sit next to
 * the trained ones under the name they were given, with their `kind` (registry.ts IMPORTED_KINDS).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { CsrMatrix } from "../data/csr.js";
import type { ItemCatalog, ItemLevel } from "../data/interactions.js";
import { UserError } from "../util/errors.js";
import { BaseRecommender } from "./base-recommender.js";
import { isModelArray, type ModelArray, type ModelState } from "./model-state.js";
import { MODEL_NAMES, type ModelName, type Recommender } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import { importedKindOf, restoreImported, restoreModel, type ImportedKind, type ModelParams } from "./registry.js";

export const BUNDLE_VERSION = 2;
const CURRENT = "CURRENT";

/** The options `musicrec train` was given, kept so a refresh can train the same way again. */
export interface BundleTrainOptions {
  level: ItemLevel;
  /** The k-core asked for; absent when it was chosen from the data (and is chosen again). */
  minUserItems?: number;
  minItemUsers?: number;
}

export interface ModelBundle {
  version: number;
  /** The saved version's folder name (v20261125T123000123Z-pid), unique per save; none before saving. */
  id?: string;
  trainedAt: string;
  /** Absent in bundles saved before options were recorded. */
  options?: BundleTrainOptions;
  training: TrainingSet;
  /** Trained models by their ModelName, imported ones by the name they were imported under. */
  models: ReadonlyMap<string, Recommender>;
  params: ModelParams;
  synthetic: boolean;
}

interface ArrayEntry {
  file: string;
  type: "float32" | "int32";
  length: number;
}

/** A typed array inside a model's learned state, as stored in the manifest. */
interface ArrayRef {
  $array: ArrayEntry;
}

interface StateEntry {
  /** Set for an imported model: how to restore it. */
  kind?: ImportedKind;
  params: object;
  /** The learned state as JSON, typed arrays replaced by ArrayRefs. */
  learned: unknown;
  /** Part name → the top-level model it is, or its own inline state. */
  components?: Record<string, { ref: ModelName } | { state: StateEntry; name: ModelName }>;
}

interface Manifest {
  format: "musicrec-bundle";
  version: number;
  trainedAt: string;
  synthetic: boolean;
  params: ModelParams;
  options?: BundleTrainOptions;
  training: { users: number; items: number; arrays: Record<string, ArrayEntry> };
  models: Record<string, StateEntry>;
}

interface CatalogFile {
  userNames: string[];
  catalog: Omit<ItemCatalog, "artistIndex">;
}

export async function saveBundle(dir: string, bundle: ModelBundle): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const versionName = `v${new Date().toISOString().replace(/[-:.]/g, "")}-${process.pid}`;
  const versionDir = path.join(dir, versionName);
  await fs.mkdir(versionDir);
  const writer = new ArrayWriter(versionDir);

  const { plays, catalog, userNames } = bundle.training;
  const trainingArrays = {
    indptr: await writer.write("training.indptr", plays.indptr),
    indices: await writer.write("training.indices", plays.indices),
    data: await writer.write("training.data", plays.data),
    artistIndex: await writer.write("training.artistIndex", catalog.artistIndex),
  };
  const { artistIndex: _artistIndex, ...catalogText } = catalog;
  await writeFileSynced(path.join(versionDir, "catalog.json"), JSON.stringify({ userNames, catalog: catalogText } satisfies CatalogFile));

  const models: Manifest["models"] = {};
  const topLevel = new Map<Recommender, ModelName>();
  for (const [name, model] of bundle.models) if (!importedKindOf(model)) topLevel.set(model, name as ModelName);
  for (const [name, model] of bundle.models) {
    const kind = importedKindOf(model);
    models[name] = { ...(kind && { kind }), ...(await writeState(writer, name, persistable(model).exportState(), topLevel)) };
  }
  const manifest: Manifest = {
    format: "musicrec-bundle",
    version: BUNDLE_VERSION,
    trainedAt: bundle.trainedAt,
    synthetic: bundle.synthetic,
    params: bundle.params,
    options: bundle.options,
    training: { users: plays.rows, items: plays.cols, arrays: trainingArrays },
    models,
  };
  await writeFileSynced(path.join(versionDir, "manifest.json"), JSON.stringify(manifest, null, 2));
  await syncDir(versionDir);

  const pointerTemp = path.join(dir, `${CURRENT}.${process.pid}.tmp`);
  await writeFileSynced(pointerTemp, `${versionName}\n`);
  await fs.rename(pointerTemp, path.join(dir, CURRENT));
  await syncDir(dir);

  for (const entry of await fs.readdir(dir)) {
    if (entry !== versionName && entry !== CURRENT && /^v\d/.test(entry)) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** Names of the imported models of the current bundle (from its manifest alone); none without a bundle. */
export async function importedModelNames(dir: string): Promise<string[]> {
  try {
    const versionName = await currentBundleId(dir);
    if (versionName === null) return [];
    const manifest = JSON.parse(await fs.readFile(path.join(dir, versionName, "manifest.json"), "utf8")) as Manifest;
    return Object.entries(manifest.models ?? {})
      .filter(([, entry]) => entry.kind)
      .map(([name]) => name);
  } catch {
    return [];
  }
}

/** Bytes a saved bundle version takes on disk (about what its arrays take in memory). */
export async function bundleBytes(dir: string, version: string): Promise<number> {
  const versionDir = path.join(dir, version);
  let total = 0;
  for (const entry of await fs.readdir(versionDir)) total += (await fs.stat(path.join(versionDir, entry))).size;
  return total;
}

/** The id (folder name) of the bundle CURRENT names, null when there is none yet. */
export async function currentBundleId(dir: string): Promise<string | null> {
  try {
    return (await fs.readFile(path.join(dir, CURRENT), "utf8")).trim() || null;
  } catch {
    return null;
  }
}

async function currentManifest(dir: string, version?: string): Promise<{ versionName: string; versionDir: string; manifest: Manifest }> {
  const versionName = version ?? (await currentBundleId(dir));
  if (versionName === null) throw new UserError(`no trained models in ${dir} — run \`musicrec train\` first`, 409);
  const versionDir = path.join(dir, versionName);
  const manifest = JSON.parse(await fs.readFile(path.join(versionDir, "manifest.json"), "utf8")) as Manifest;
  if (manifest.format !== "musicrec-bundle" || manifest.version !== BUNDLE_VERSION) {
    throw new UserError(
      `model bundle ${versionDir} has format version ${manifest.version}, this musicrec reads ${BUNDLE_VERSION} — run \`musicrec train\` again`,
      409,
    );
  }
  return { versionName, versionDir, manifest };
}

/** What the current bundle was trained with: models, parameters and, when recorded, level and k-core. */
export async function currentTrainOptions(dir: string): Promise<{ models: ModelName[]; params: ModelParams; options: Partial<BundleTrainOptions> }> {
  const { versionDir, manifest } = await currentManifest(dir);
  // Bundles saved before options were recorded still tell their level, in the catalogue.
  const options = manifest.options ?? {
    level: (JSON.parse(await fs.readFile(path.join(versionDir, "catalog.json"), "utf8")) as CatalogFile).catalog.level,
  };
  return { models: MODEL_NAMES.filter((name) => manifest.models[name]), params: manifest.params, options };
}

/**
 * `importedOnly`: restore only the imported models (what a retraining keeps). `version`: that saved
 * version (a bundle id) instead of the one CURRENT names, e.g. for a scoring thread to load what
 * the server serves.
 */
export async function loadBundle(dir: string, options: { importedOnly?: boolean; version?: string } = {}): Promise<ModelBundle> {
  const { versionName, versionDir, manifest } = await currentManifest(dir, options.version);
  const reader = new ArrayReader(versionDir);
  // Every file is read at once, so a server loading a new bundle beside busy request handlers waits
  // for the event loop a few times instead of once per array.
  const [catalogText] = await Promise.all([fs.readFile(path.join(versionDir, "catalog.json"), "utf8"), reader.preload(manifest)]);
  const text = JSON.parse(catalogText) as CatalogFile;
  const t = manifest.training;
  const plays = new CsrMatrix(
    t.users,
    t.items,
    (await reader.read(t.arrays.indptr)) as Int32Array,
    (await reader.read(t.arrays.indices)) as Int32Array,
    (await reader.read(t.arrays.data)) as Float32Array,
  );
  const catalog: ItemCatalog = { ...text.catalog, artistIndex: (await reader.read(t.arrays.artistIndex)) as Int32Array };
  const training: TrainingSet = { plays, catalog, userNames: text.userNames };

  const models = new Map<string, Recommender>();
  const restore = async (name: string, entry: StateEntry): Promise<Recommender> => {
    const state: ModelState = { params: entry.params, learned: (await readLearned(reader, entry.learned)) as object };
    if (entry.kind) return restoreImported(entry.kind, name, state, training);
    if (!(MODEL_NAMES as readonly string[]).includes(name)) {
      throw new UserError(`model bundle ${versionDir} holds an unknown model "${name}" — run \`musicrec train\` again`, 409);
    }
    if (entry.components) {
      state.components = {};
      for (const [part, component] of Object.entries(entry.components)) {
        state.components[part] =
          "ref" in component ? models.get(component.ref)! : await restore(component.name, component.state);
      }
    }
    return restoreModel(name as ModelName, state, training, manifest.params);
  };
  // Plain models first: composites reference them.
  const entries = Object.entries(manifest.models).filter(([, entry]) => !options.importedOnly || entry.kind);
  for (const [name, entry] of [...entries.filter(([, e]) => !e.components), ...entries.filter(([, e]) => e.components)]) {
    models.set(name, await restore(name, entry));
  }
  return {
    version: manifest.version,
    id: versionName,
    trainedAt: manifest.trainedAt,
    options: manifest.options,
    training,
    models,
    params: manifest.params,
    synthetic: manifest.synthetic,
  };
}

function persistable(model: Recommender): BaseRecommender {
  if (!(model instanceof BaseRecommender)) throw new Error(`model ${model.name} cannot be persisted`);
  return model;
}

async function writeState(
  writer: ArrayWriter,
  prefix: string,
  state: ModelState,
  topLevel: ReadonlyMap<Recommender, ModelName>,
): Promise<StateEntry> {
  const entry: StateEntry = { params: state.params, learned: await writeLearned(writer, prefix, state.learned) };
  if (state.components) {
    entry.components = {};
    for (const [part, model] of Object.entries(state.components)) {
      const ref = topLevel.get(model);
      entry.components[part] = ref
        ? { ref }
        : { name: model.name as ModelName, state: await writeState(writer, `${prefix}.${part}`, persistable(model).exportState(), topLevel) };
    }
  }
  return entry;
}

/** `learned` as JSON, every typed array written to its own file (named by its path) and replaced by an ArrayRef. */
async function writeLearned(writer: ArrayWriter, prefix: string, learned: unknown): Promise<unknown> {
  if (isModelArray(learned)) return { $array: await writer.write(prefix, learned) } satisfies ArrayRef;
  if (Array.isArray(learned)) return Promise.all(learned.map((value, i) => writeLearned(writer, `${prefix}.${i}`, value)));
  if (learned !== null && typeof learned === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(learned)) out[key] = await writeLearned(writer, `${prefix}.${key}`, value);
    return out;
  }
  return learned;
}

async function readLearned(reader: ArrayReader, stored: unknown): Promise<unknown> {
  if (Array.isArray(stored)) return Promise.all(stored.map((value) => readLearned(reader, value)));
  if (stored !== null && typeof stored === "object") {
    if ("$array" in stored) return reader.read((stored as ArrayRef).$array);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stored)) out[key] = await readLearned(reader, value);
    return out;
  }
  return stored;
}

class ArrayWriter {
  constructor(private readonly dir: string) {}

  async write(name: string, array: ModelArray): Promise<ArrayEntry> {
    const file = `${name}.bin`;
    await writeFileSynced(path.join(this.dir, file), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return { file, type: array instanceof Int32Array ? "int32" : "float32", length: array.length };
  }
}

class ArrayReader {
  private readonly files = new Map<string, Promise<Buffer>>();

  constructor(private readonly dir: string) {}

  /** Starts reading every array file the manifest names. */
  async preload(manifest: Manifest): Promise<void> {
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value !== null && typeof value === "object") {
        if ("$array" in value) this.bytes((value as ArrayRef).$array.file);
        else Object.values(value).forEach(visit);
      }
    };
    Object.values(manifest.training.arrays).forEach((entry) => this.bytes(entry.file));
    visit(manifest.models);
    await Promise.all(this.files.values());
  }

  private bytes(file: string): Promise<Buffer> {
    let bytes = this.files.get(file);
    if (!bytes) {
      bytes = fs.readFile(path.join(this.dir, file));
      this.files.set(file, bytes);
    }
    return bytes;
  }

  async read(entry: ArrayEntry): Promise<ModelArray> {
    const bytes = await this.bytes(entry.file);
    this.files.delete(entry.file);
    const array = entry.type === "int32" ? new Int32Array(entry.length) : new Float32Array(entry.length);
    if (bytes.byteLength !== array.byteLength) {
      throw new UserError(`model bundle file ${entry.file} is ${bytes.byteLength} bytes, expected ${array.byteLength} — run \`musicrec train\` again`, 409);
    }
    new Uint8Array(array.buffer).set(bytes);
    return array;
  }
}

async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
