/**
 * Worker thread of the hybrid's weight tuning: restores the validation parts from their states
 * (typed arrays in shared memory) and scores the units of users it claims (hybrid-tuning.ts).
 */
import { parentPort } from "node:worker_threads";
import { matrixFrom, scoreUnits, type TuningTask } from "./hybrid-tuning.js";
import { MODEL_NAMES, type ModelName } from "./recommender.js";
import { restoreModel } from "./registry.js";

const port = parentPort;
if (!port) throw new Error("hybrid-tuning-worker runs as a worker thread");
port.on("message", (task: TuningTask) => {
  try {
    const train = matrixFrom(task.train);
    const training = { plays: train, catalog: task.catalog, userNames: task.userNames };
    const parts = task.parts.map(({ name, state }) => {
      if (!MODEL_NAMES.includes(name as ModelName)) throw new Error(`no model named "${name}" to restore`);
      return restoreModel(name as ModelName, state, training);
    });
    const problem = { parts, isCollaborative: task.isCollaborative, train, validation: matrixFrom(task.validation) };
    scoreUnits(problem, task.users, task.combos, () => Atomics.add(task.counter, 0, 1), task.totals);
    port.postMessage({ done: true });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
