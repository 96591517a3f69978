/**
 * `npm run bench:train`: fits every model on HetRec (artists) and on a generated Last.fm-1K-size
 * scrobble data set (tracks), reporting seconds and peak memory per model, next to scikit-learn's
 * TfidfVectorizer and randomized_svd run on the very same texts and matrix, and to `implicit`'s
 * AlternatingLeastSquares on the very same confidence matrix with the same hyperparameters.
 *
 *   node dist/bench/train.js [--scrobbles 19000000] [--users 1000] [--dir DIR] [--hetrec DIR]
 *                            [--models popularity,content,svd,als,hybrid] [--no-sklearn] [--no-implicit]
 *                            [--threads N]
 *
 * --dir defaults to $MUSICREC_BENCH_DIR/train or <tmp>/musicrec-bench-train, --hetrec to
 * $MUSICREC_HETREC or ../shared/data/hetrec2011-lastfm-2k (src/bench/bench-paths.ts). `implicit`
 * cannot be installed from the package registries; $IMPLICIT_SRC names a source tree built in
 * place (../shared/tools/implicit-build/README.md), and without one the bench says so and goes on.
 * --threads sets $MUSICREC_THREADS for our fits (default every core; implicit always uses every core).
 *
 * Every fit runs in its own child process so "peak RSS" is that model's (plus the loaded training
 * set, reported separately as "loaded"). Stores and generated files are cached in --dir. HetRec is
 * benchmarked as the accuracy protocol uses it (no k-core), the synthetic set with train's default
 * k-core 5/5.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildTrainingSet } from "../data/training-set.js";
import type { CsrMatrix } from "../data/csr.js";
import { generateDataset } from "../ingest/generate/generate.js";
import { importPaths } from "../ingest/import-files.js";
import { BUNDLE_VERSION, loadBundle, saveBundle } from "../models/bundle.js";
import { catalogTexts } from "../models/content/item-text.js";
import { MODEL_NAMES, type ModelName } from "../models/recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import { fitModels } from "../models/fit-models.js";
import { DEFAULT_PARAMS, resolveParams } from "../models/registry.js";
import { svdInput } from "../models/svd.js";
import { alsConfidence } from "../models/als.js";
import { THREADS_ENV, defaultThreads, parseThreads } from "../util/worker-pool.js";
import { loadInteractions } from "../store/load-interactions.js";
import { Store } from "../store/store.js";
import { terminalProgress } from "../util/progress.js";
import { printRuntimeHeader } from "./runtime-header.js";
import { flagValue, hetrecDir, scratchDir } from "./bench-paths.js";

const THIS_FILE = fileURLToPath(import.meta.url);
const PYTHON = "/usr/bin/python3";

interface Measurement {
  seconds: number;
  peakMb: number;
  loadedMb: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

const flag = (name: string, fallback: string): string => flagValue(name) ?? fallback;

// ---------------------------------------------------------------- worker: one model, one process
async function worker(trainingDir: string, name: ModelName): Promise<void> {
  const { training } = await loadBundle(trainingDir);
  const params = resolveParams();
  const loadedMb = mb(process.memoryUsage().rss);
  // The hybrid is timed as `musicrec train` runs it: given its already fitted parts.
  const names = name === "hybrid" ? [...params.hybrid.parts, name] : [name];
  const { seconds: fitSeconds } = await fitModels(names, training, { params });
  const seconds = fitSeconds[name]!;
  const result: Measurement = { seconds, peakMb: process.resourceUsage().maxRSS / 1024, loadedMb };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runWorker(trainingDir: string, name: ModelName): Measurement {
  const run = spawnSync(process.execPath, ["--max-old-space-size=6144", THIS_FILE, "--worker", trainingDir, name], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`${name} worker failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as Measurement;
}

// ---------------------------------------------------------------- scikit-learn on the same input
/** Python: the CSR matrix and shape a dumpCsr wrote, for the references. */
const LOAD_CSR = String.raw`
import json, resource, sys, time
import numpy as np
import scipy.sparse as sp
def load_csr(base):
    shape = json.load(open(base + ".shape.json"))
    indptr = np.fromfile(base + ".indptr.bin", dtype=np.int32)
    indices = np.fromfile(base + ".indices.bin", dtype=np.int32)
    data = np.fromfile(base + ".data.bin", dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(shape["rows"], shape["cols"])), shape
`;

/** The matrix and what the reference needs to know for the scripts above (load_csr). */
function dumpCsr(matrix: CsrMatrix, base: string, params: Record<string, number>): void {
  writeFileSync(`${base}.indptr.bin`, matrix.indptr);
  writeFileSync(`${base}.indices.bin`, matrix.indices);
  writeFileSync(`${base}.data.bin`, matrix.data);
  writeFileSync(`${base}.shape.json`, JSON.stringify({ rows: matrix.rows, cols: matrix.cols, ...params }));
}

const SKLEARN = LOAD_CSR + String.raw`
task, base = sys.argv[1], sys.argv[2]
if task == "tfidf":
    from sklearn.feature_extraction.text import TfidfVectorizer
    with open(base + ".texts.json") as f:
        docs = json.load(f)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    x = TfidfVectorizer(stop_words="english").fit_transform(docs)
    seconds = time.perf_counter() - t
else:
    from sklearn.utils.extmath import randomized_svd
    a, shape = load_csr(base)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    u, s, vt = randomized_svd(a, shape["k"], n_oversamples=10, n_iter=shape["iterations"], random_state=0)
    seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "peakMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "loadedMb": loaded}))
`;

function sklearnAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import sklearn, scipy"], { encoding: "utf8" }).status === 0;
}

function runSklearn(task: "tfidf" | "svd", base: string): Measurement {
  const run = spawnSync(PYTHON, ["-c", SKLEARN, task, base], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`scikit-learn ${task} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as Measurement;
}

/** The content model's texts and the svd model's input matrix, for scikit-learn. */
function dumpForSklearn(training: TrainingSet, base: string): void {
  writeFileSync(`${base}.texts.json`, JSON.stringify([...catalogTexts(training.catalog)]));
  const { factors: k, powerIterations: iterations } = DEFAULT_PARAMS.svd;
  dumpCsr(svdInput(training.plays, DEFAULT_PARAMS.svd).matrix, base, { k, iterations });
}

// ---------------------------------------------------------------- implicit on the same confidences
// implicit's confidence is alpha·value: given our c = 1 + α·w with alpha = 1 it solves the very
// same least-squares problems. OPENBLAS_NUM_THREADS=1 as implicit asks (it warns otherwise).
const IMPLICIT = LOAD_CSR + String.raw`
from implicit.cpu.als import AlternatingLeastSquares
c, shape = load_csr(sys.argv[1])
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
model = AlternatingLeastSquares(factors=shape["k"], regularization=shape["regularization"], alpha=1.0,
                                iterations=shape["iterations"], num_threads=0, random_state=0)
t = time.perf_counter()
model.fit(c, show_progress=False)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "peakMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "loadedMb": loaded}))
`;

/** $IMPLICIT_SRC when it holds an importable built copy of implicit; else why not, for the report. */
function findImplicit(): { dir: string } | { missing: string } {
  const dir = process.env.IMPLICIT_SRC;
  if (!dir) return { missing: "implicit: not compared (set IMPLICIT_SRC to a source tree built as ../shared/tools/implicit-build/README.md says)" };
  const check = spawnSync(PYTHON, ["-c", "import implicit.cpu._als"], { encoding: "utf8", env: implicitEnv(dir) });
  if (check.status !== 0) return { missing: `implicit: not compared, IMPLICIT_SRC=${dir} holds no built implicit (${check.stderr.trim().split("\n").pop()})` };
  return { dir };
}

function implicitEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONPATH: dir, OPENBLAS_NUM_THREADS: "1" };
}

function runImplicit(dir: string, base: string): Measurement {
  const run = spawnSync(PYTHON, ["-c", IMPLICIT, base], { encoding: "utf8", maxBuffer: 1 << 24, env: implicitEnv(dir) });
  if (run.status !== 0) throw new Error(`implicit failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as Measurement;
}

/** The confidence matrix our ALS trains on, for implicit. */
function dumpForImplicit(training: TrainingSet, base: string): void {
  const { factors: k, iterations, regularization } = DEFAULT_PARAMS.als;
  dumpCsr(alsConfidence(training.plays, DEFAULT_PARAMS.als).matrix, base, { k, iterations, regularization });
}

// ---------------------------------------------------------------- data sets
async function ensureStore(file: string, fill: (store: Store) => Promise<void>): Promise<void> {
  if (existsSync(file)) return;
  const partial = `${file}.partial`;
  const store = await Store.open(partial);
  try {
    await fill(store);
  } finally {
    store.close();
  }
  renameSync(partial, file);
}

async function trainingFromStore(file: string, out: string, kCore: number): Promise<TrainingSet> {
  const store = await Store.open(file, { readOnly: true });
  let training: TrainingSet;
  try {
    training = buildTrainingSet(await loadInteractions(store), { minUserItems: kCore, minItemUsers: kCore });
  } finally {
    store.close();
  }
  await saveBundle(out, { version: BUNDLE_VERSION, trainedAt: new Date().toISOString(), training, models: new Map(), params: resolveParams(), synthetic: false });
  return training;
}

async function main(): Promise<void> {
  printRuntimeHeader("bench:train");
  const dir = scratchDir("train");
  const hetrec = hetrecDir();
  const scrobbles = Number(flag("scrobbles", "19000000"));
  const users = Number(flag("users", "1000"));
  const models = flag("models", MODEL_NAMES.join(",")).split(",") as ModelName[];
  const withSklearn = !process.argv.includes("--no-sklearn") && sklearnAvailable();
  const threadsFlag = flagValue("threads");
  if (threadsFlag !== undefined) process.env[THREADS_ENV] = String(parseThreads(threadsFlag, "--threads"));
  const implicit = process.argv.includes("--no-implicit") ? { missing: "implicit: not compared (--no-implicit)" } : findImplicit();
  mkdirSync(dir, { recursive: true });
  const progress = terminalProgress();

  // HetRec as the accuracy protocol uses it (no k-core, all 17,632 artists); the synthetic set
  // as `musicrec train` trains it by default (k-core 5/5).
  const datasets: { name: string; store: string; kCore: number; fill: (store: Store) => Promise<void> }[] = [];
  if (existsSync(hetrec)) {
    datasets.push({ name: "hetrec", store: path.join(dir, "hetrec.duckdb"), kCore: 1, fill: async (s) => void (await importPaths(s, [hetrec])) });
  } else {
    process.stderr.write(`skipping HetRec: ${hetrec} not found (pass --hetrec DIR or set MUSICREC_HETREC)\n`);
  }
  const synthetic = `lfm1k-${users}u-${scrobbles}`;
  datasets.push({
    name: `synthetic LFM-1K size (${users.toLocaleString("en")} users, ${scrobbles.toLocaleString("en")} scrobbles)`,
    store: path.join(dir, `${synthetic}.duckdb`),
    kCore: 5,
    fill: async (s) => {
      const file = path.join(dir, `${synthetic}.tsv`);
      if (!existsSync(file)) await generateDataset({ output: file, format: "lfm1k", users, scrobbles, seed: 42, progress });
      await importPaths(s, [file], { progress });
    },
  });

  const rows: string[][] = [];
  for (const dataset of datasets) {
    progress.start(`preparing ${dataset.name}`);
    await ensureStore(dataset.store, dataset.fill);
    const trainingDir = `${dataset.store}.training`;
    const training = await trainingFromStore(dataset.store, trainingDir, dataset.kCore);
    const base = `${dataset.store}.sklearn`;
    if (withSklearn) dumpForSklearn(training, base);
    const implicitBase = `${dataset.store}.implicit`;
    if ("dir" in implicit && models.includes("als")) dumpForImplicit(training, implicitBase);
    progress.done(
      `${training.plays.rows.toLocaleString("en")} users × ${training.plays.cols.toLocaleString("en")} ${training.catalog.level}s, ` +
        `${training.plays.nnz.toLocaleString("en")} pairs (k-core ${dataset.kCore}/${dataset.kCore})`,
    );
    for (const name of models) {
      progress.start(`${dataset.name}: ${name}`);
      const ours = runWorker(trainingDir, name);
      const reference =
        withSklearn && name === "content"
          ? { name: "sklearn TfidfVectorizer", ...runSklearn("tfidf", base) }
          : withSklearn && name === "svd"
            ? { name: "sklearn randomized_svd", ...runSklearn("svd", base) }
            : "dir" in implicit && name === "als"
              ? { name: "implicit ALS", ...runImplicit(implicit.dir, implicitBase) }
              : null;
      progress.done(`${ours.seconds.toFixed(2)} s${reference ? `, ${reference.name} ${reference.seconds.toFixed(2)} s` : ""}`);
      rows.push([
        dataset.name,
        name,
        ours.seconds.toFixed(2),
        ours.peakMb.toFixed(0),
        ours.loadedMb.toFixed(0),
        reference ? reference.name : "",
        reference ? reference.seconds.toFixed(2) : "",
        reference ? reference.peakMb.toFixed(0) : "",
        reference ? `${(ours.seconds / reference.seconds).toFixed(2)}×` : "",
      ]);
    }
  }
  const header = ["data", "model", "fit s", "peak MB", "loaded MB", "reference", "ref s", "ref peak MB", "ours/ref"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 2 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  process.stdout.write(`\n${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}\n${rows.map(line).join("\n")}\n`);
  process.stdout.write(
    `\nsvd: k=${DEFAULT_PARAMS.svd.factors}, ${DEFAULT_PARAMS.svd.powerIterations} power iterations, 10 oversamples on both sides; ` +
      `als: k=${DEFAULT_PARAMS.als.factors}, ${DEFAULT_PARAMS.als.iterations} iterations; hybrid timed given its fitted parts ` +
      `(validation fits + weight tuning). Peak MB = max RSS of the process that fitted the model (includes the loaded data).\n` +
      `Our fits ran on ${defaultThreads()} thread(s) (--threads / $${THREADS_ENV}); implicit ALS: alpha 1 on our confidences c = 1 + α·w, ` +
      `same factors, λ and iterations, CG, every core. ${"missing" in implicit ? implicit.missing : `implicit from ${implicit.dir}.`}\n`,
  );
  if ("missing" in implicit) process.stderr.write(`${implicit.missing}\n`);
}

if (process.argv[2] === "--worker") await worker(process.argv[3], process.argv[4] as ModelName);
else await main();
