/**
 * What the server reads and writes of listeners besides their plays: bans and loved tracks
 * (through LiveOpinions, which every served bundle's service honours) and recent play dates for
 * notHeardWithin queries, all through brief store opens (src/store/store-access.ts).
 */
import { LiveOpinions } from "../service/live-opinions.js";
import type { RecentPlay } from "../service/listener-feedback.js";
import { changeBan, opinionsOf, type OpinionChangeResult, type TargetName } from "../service/opinion-changes.js";
import { playedSince } from "../store/feedback.js";
import type { StoreAccess } from "../store/store-access.js";

/** A request waits 2 s for a store another process is writing, then fails with a 503 (StoreBusyError). */
const WAIT = { lockWaitMs: 2_000, onBusy: () => {} };

export class ListenerStore {
  readonly opinions: LiveOpinions;

  constructor(
    private readonly store: StoreAccess,
    log?: (line: string) => void,
  ) {
    this.opinions = new LiveOpinions(store, { log });
  }

  /** Bans (or unbans) a named artist or track for a listener; answers given after it honour it. */
  changeBan(user: string, name: TargetName, ban: boolean): Promise<OpinionChangeResult> {
    return this.opinions.change((store) => changeBan(store, user, name, ban), WAIT);
  }

  list(user: string): ReturnType<typeof opinionsOf> {
    return this.store.read((store) => opinionsOf(store, user), WAIT);
  }

  /** Items the listener played within the last `withinMs`. */
  heardWithin(user: string, withinMs: number): Promise<RecentPlay[]> {
    const since = new Date(Date.now() - withinMs);
    return this.store.read((store) => playedSince(store, user, since), WAIT);
  }
}
