/**
 * Every listener's current loved / banned opinions (src/store/feedback.ts) at one moment, grouped
 * by listener, with a stamp per listener that changes exactly when their opinions do: response
 * caches put it in their keys, so a ban shows at once without emptying the cache of anyone else.
 */
import { createHash } from "node:crypto";
import type { Opinion } from "../store/feedback.js";

/** Where the service reads opinions from: a fixed book (CLI) or one re-read from the store (server). */
export interface OpinionSource {
  current(): OpinionBook;
}

export class OpinionBook {
  static readonly empty = new OpinionBook([]);
  private readonly byUser = new Map<string, Opinion[]>();
  private readonly stamps = new Map<string, string>();

  constructor(opinions: readonly Opinion[]) {
    for (const opinion of opinions) {
      const list = this.byUser.get(opinion.user);
      if (list) list.push(opinion);
      else this.byUser.set(opinion.user, [opinion]);
    }
    for (const [user, list] of this.byUser) {
      const hash = createHash("sha1");
      for (const o of [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) hash.update(`${o.target}\u0000${o.key}\u0000${o.score}\u0001`);
      this.stamps.set(user, hash.digest("base64url").slice(0, 12));
    }
  }

  /** The listener's opinions, newest first (none when they have none). */
  of(user: string): readonly Opinion[] {
    return this.byUser.get(user) ?? [];
  }

  /** "" for a listener without opinions, else a short hash of them. */
  stamp(user: string): string {
    return this.stamps.get(user) ?? "";
  }

  get listeners(): number {
    return this.byUser.size;
  }
}

/** The same book for the life of a command. */
export function fixedOpinions(book: OpinionBook): OpinionSource {
  return { current: () => book };
}
