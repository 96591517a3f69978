/**
 * A scoring thread (scoring-threads.ts): loads the bundle version the server serves, prepares its
 * models, then answers scoring jobs one after another with the API body a RecommendationService
 * on the main thread would have built (userResponseJson), as UTF-8 bytes moved back without a copy.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadBundle } from "../models/bundle.js";
import type { UserHistory } from "../models/recommender.js";
import { RecommendationService } from "./recommendation-service.js";
import type { ScoringJob, ScoringReply, ScoringThreadData } from "./scoring-threads.js";

const port = parentPort;
if (!port) throw new Error("scoring-thread runs as a worker thread");
const { bundleDir, version } = workerData as ScoringThreadData;

try {
  const service = new RecommendationService(await loadBundle(bundleDir, { version }), 0);
  await service.prepareModels();
  const encoder = new TextEncoder();
  port.on("message", (job: ScoringJob) => {
    let reply: ScoringReply;
    try {
      // A training row is taken from this thread's own copy, so the models know it as that user's row.
      const history: UserHistory = job.history ?? service.playedBy(job.user);
      const bytes = encoder.encode(service.userResponseJson(job.user, job.query, history, job.ranking));
      reply = { id: job.id, json: bytes };
      port.postMessage(reply, [bytes.buffer]);
    } catch (error) {
      reply = { id: job.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      port.postMessage(reply);
    }
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ failed: error instanceof Error ? error.message : String(error) });
}
