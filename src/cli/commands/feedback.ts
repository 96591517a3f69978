/**
 * `musicrec feedback`: a listener's "never suggest this" list. Bans are stored in the store (not
 * the model bundle), so they hold for every model, playlist and radio, survive retraining, and a
 * running server honours them within seconds.
 */
import type { Command } from "commander";
import { changeBan, opinionsOf, type OpinionEntry, type TargetName } from "../../service/opinion-changes.js";
import { Store } from "../../store/store.js";
import { UserError } from "../../util/errors.js";
import { dbPathOf } from "../options.js";

interface FeedbackFlags {
  user: string;
  banArtist?: string;
  banTrack?: string;
  unbanArtist?: string;
  unbanTrack?: string;
  list?: boolean;
  json?: boolean;
}

export function registerFeedback(program: Command): void {
  program
    .command("feedback")
    .description("never suggest an artist or track to a listener (bans hold for every model, playlist and radio, and across retraining)")
    .requiredOption("--user <name>", "the listener, as in the store")
    .option("--ban-artist <name>", "never suggest this artist")
    .option("--ban-track <artist - track>", 'never suggest this track, written "Artist - Track"')
    .option("--unban-artist <name>", "suggest this artist again")
    .option("--unban-track <artist - track>", "suggest this track again")
    .option("--list", "list the listener's bans (and loved tracks imported from ListenBrainz)")
    .option("--json", "print JSON")
    .action(async (flags: FeedbackFlags, command: Command) => {
      const changes: { name: TargetName; ban: boolean }[] = [];
      if (flags.banArtist !== undefined) changes.push({ name: { artist: flags.banArtist }, ban: true });
      if (flags.banTrack !== undefined) changes.push({ name: { track: flags.banTrack }, ban: true });
      if (flags.unbanArtist !== undefined) changes.push({ name: { artist: flags.unbanArtist }, ban: false });
      if (flags.unbanTrack !== undefined) changes.push({ name: { track: flags.unbanTrack }, ban: false });
      if (changes.length > 1) throw new UserError("feedback takes one of --ban-artist, --ban-track, --unban-artist, --unban-track at a time");
      if (changes.length === 0 && !flags.list) throw new UserError("feedback needs --ban-artist, --ban-track, --unban-artist, --unban-track or --list");
      const store = await Store.open(dbPathOf(command), { readOnly: changes.length === 0 });
      try {
        const change = changes.length > 0 ? await changeBan(store, flags.user, changes[0].name, changes[0].ban) : null;
        const listing = flags.list ? await opinionsOf(store, flags.user) : null;
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...(change && { change }), ...listing }, null, 2)}\n`);
          return;
        }
        if (change) {
          process.stdout.write(
            change.action === "banned"
              ? `banned ${change.target} ${change.label} for ${change.user}: no recommendation, playlist or radio of theirs suggests it (--unban-${change.target} undoes it)\n`
              : `unbanned ${change.target} ${change.label} for ${change.user}\n`,
          );
        }
        if (listing) process.stdout.write(listingText(listing.user, listing.banned, listing.loved));
      } finally {
        store.close();
      }
    });
}

function listingText(user: string, banned: readonly OpinionEntry[], loved: readonly OpinionEntry[]): string {
  const line = (o: OpinionEntry) => `  ${o.target.padEnd(6)}  ${o.label}  (${o.source}${o.createdAt ? `, ${o.createdAt.slice(0, 10)}` : ""})\n`;
  const bans = banned.length === 0 ? `${user} has banned nothing\n` : `${user} never gets (${banned.length}):\n${banned.map(line).join("")}`;
  const loves = loved.length === 0 ? "" : `loved, counted as plays (${loved.length}):\n${loved.map(line).join("")}`;
  return bans + loves;
}
