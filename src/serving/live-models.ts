/**
 * The models being served, swappable while the server runs. A swap builds everything for the new
 * bundle first (service, user index) and then replaces one reference: a request reads
 * `current` once and keeps that object to its end, so requests in flight finish on the old
 * bundle and none sees a half-swapped state. Each bundle's ServedModels has its own response
 * cache, so a swap starts with an empty one (start-server.ts warms it again).
 *
 * A `prepare` step (the models' scoring structures, the local library) runs on each bundle's models
 * before they serve.
 *
 * Listeners registered with onSwap run after each swap (cache warm-up, the dataset summary, and
 * anything else that must follow the models, e.g. a scoring worker pool loading the new bundle).
 */
import type { ServingModels } from "../service/recommendation-service.js";
import { serveModels, type ServedModels } from "./served-models.js";

export interface SwapEvent {
  previous: ServedModels;
  current: ServedModels;
  /** When the swap happened (ISO 8601). */
  at: string;
}

export type SwapListener = (event: SwapEvent) => void;
/** Completes a bundle's models before they serve (e.g. attaches the local library). */
export type PrepareModels = (served: ServedModels) => Promise<void>;

export class LiveModels {
  private served: ServedModels;
  private readonly listeners = new Set<SwapListener>();
  /** When the serving bundle was loaded (ISO 8601). */
  loadedAt = new Date().toISOString();
  /** When the last swap happened, null before the first. */
  swappedAt: string | null = null;
  swaps = 0;
  /** Settles when the first bundle's models are prepared (await it before serving). */
  readonly prepared: Promise<void>;

  constructor(
    bundle: ServingModels,
    private readonly cacheEntries?: number,
    private readonly prepare: PrepareModels = async () => {},
  ) {
    this.served = serveModels(bundle, cacheEntries);
    this.prepared = this.prepare(this.served);
  }

  /** The models to answer a request with: read it once per request. */
  get current(): ServedModels {
    return this.served;
  }

  /** Serves `bundle` from now on (once prepared); listener failures are reported, never undo the swap. */
  async swap(bundle: ServingModels): Promise<SwapEvent> {
    const next = serveModels(bundle, this.cacheEntries);
    await this.prepare(next);
    const event: SwapEvent = { previous: this.served, current: next, at: new Date().toISOString() };
    this.served = next;
    this.loadedAt = this.swappedAt = event.at;
    this.swaps++;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        process.stderr.write(`musicrec: after the model swap: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    return event;
  }

  /** Calls `listener` after every swap; returns a function that unregisters it. */
  onSwap(listener: SwapListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
