/**
 * contrib/spark/train_als.py cannot run here (no Spark), so it runs against a stub `pyspark` that
 * records what the script asks of Spark: which folder it reads, how ALS is configured, where the
 * model is saved. The columns it names must be those `musicrec export parquet` writes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = path.resolve(import.meta.dirname, "../../contrib/spark/train_als.py");
const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-train-als-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hasPython = spawnSync("python3", ["--version"]).status === 0;

const STUB: Record<string, string> = {
  "pyspark/__init__.py": "",
  "pyspark/ml/__init__.py": "",
  "pyspark/sql/__init__.py": `
import json, os
def record(event, **fields):
    with open(os.environ["STUB_LOG"], "a") as log:
        log.write(json.dumps({"event": event, **fields}) + "\\n")
class _Context:
    def setCheckpointDir(self, path): record("checkpoint", path=path)
class _Reader:
    def parquet(self, path): record("read", path=path); return "interactions-frame"
class SparkSession:
    class _Builder:
        def appName(self, name): record("app", name=name); return self
        def getOrCreate(self): return SparkSession()
    builder = _Builder()
    read = _Reader()
    sparkContext = _Context()
    def stop(self): record("stop")
`,
  "pyspark/ml/recommendation.py": `
from pyspark.sql import record
class _Writer:
    def overwrite(self): record("overwrite"); return self
    def save(self, path): record("save", path=path)
class ALSModel:
    def __init__(self, rank): self.rank = rank
    def write(self): return _Writer()
class ALS:
    def __init__(self, **params): record("als", params=params); self.params = params
    def fit(self, frame): record("fit", frame=frame); return ALSModel(self.params["rank"])
`,
};

describe.skipIf(!hasPython)("contrib/spark/train_als.py", () => {
  it("reads the export's interactions, trains implicit ALS on its columns and saves with overwrite", () => {
    const stub = path.join(scratch, "stub");
    for (const [file, text] of Object.entries(STUB)) {
      mkdirSync(path.dirname(path.join(stub, file)), { recursive: true });
      writeFileSync(path.join(stub, file), text);
    }
    const log = path.join(scratch, "calls.jsonl");
    const out = execFileSync("python3", [SCRIPT, "/data/export", "/data/model", "--rank", "120", "--alpha", "5", "--checkpoint-dir", "/tmp/ck"], {
      env: { ...process.env, PYTHONPATH: stub, STUB_LOG: log },
      encoding: "utf8",
    });
    const calls = readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(calls.map((c) => c.event)).toEqual(["app", "checkpoint", "read", "als", "fit", "overwrite", "save", "stop"]);
    expect(calls.find((c) => c.event === "read").path).toBe("/data/export/interactions");
    expect(calls.find((c) => c.event === "save").path).toBe("/data/model");
    expect(calls.find((c) => c.event === "als").params).toMatchObject({
      userCol: "user_id",
      itemCol: "item_id",
      ratingCol: "plays",
      implicitPrefs: true,
      rank: 120,
      maxIter: 10,
      regParam: 0.1,
      alpha: 5,
    });
    expect(out).toContain("musicrec import-model spark /data/model --items /data/export --regularization 0.1 --alpha 5.0");
  });
});

if (!hasPython) console.warn("train_als.py test skipped: no python3 on this machine");
