/** Worker thread of parallel ALS training: runs its share of every task it is sent (als-tasks.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { runAlsTask, type AlsTask } from "./als-tasks.js";

const port = parentPort;
if (!port) throw new Error("als-worker runs as a worker thread");
port.on("message", (task: AlsTask) => {
  try {
    runAlsTask(task, (workerData as { index: number }).index);
    port.postMessage({ done: true });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
