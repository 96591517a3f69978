/**
 * The listener's taste controls shared by `recommend`, `playlist` (and the radio): the familiar ↔
 * new dial, whether played items may come back, and how recently played ones stay out. Bans need
 * no flag: the service always honours them (`musicrec feedback`).
 */
import type { Command } from "commander";
import type { RecommendQuery } from "../service/recommendation-service.js";
import { parseDuration } from "../util/duration.js";
import { UserError } from "../util/errors.js";

export interface TasteFlags {
  newArtistsOnly?: boolean;
  discovery?: string;
  includePlayed?: boolean;
  notHeardWithin?: string;
}

export function addTasteOptions(command: Command): Command {
  return command
    .option("--discovery <x>", "familiar ↔ new, 0 to 1: 0 = unplayed tracks of artists you know, 1 = only artists you never played, between = a blend")
    .option("--new-artists-only", "only artists the user has never played (same as --discovery 1)")
    .option("--include-played", "also suggest items the user already played")
    .option("--not-heard-within <duration>", "leave out items played within this time, e.g. 30d or 12h (by the store's play dates)");
}

/** A number from 0 to 1 for --discovery. */
export function discoveryValue(value: string, flag = "--discovery"): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1)) throw new UserError(`${flag} must be a number from 0 (familiar artists) to 1 (new artists), got "${value}"`);
  return n;
}

/** The query fields of the taste flags. */
export function tasteQuery(flags: TasteFlags): Pick<RecommendQuery, "newArtistsOnly" | "discovery" | "includePlayed" | "notHeardWithinMs"> {
  const discovery = flags.discovery === undefined ? undefined : discoveryValue(flags.discovery);
  if (flags.newArtistsOnly && discovery !== undefined && discovery !== 1) {
    throw new UserError(`--new-artists-only is --discovery 1: drop one of them (got --discovery ${flags.discovery})`);
  }
  const notHeardWithinMs = flags.notHeardWithin === undefined ? undefined : parseDuration(flags.notHeardWithin, "--not-heard-within");
  return {
    newArtistsOnly: Boolean(flags.newArtistsOnly),
    ...(discovery !== undefined && { discovery }),
    ...(flags.includePlayed && { includePlayed: true }),
    ...(notHeardWithinMs !== undefined && { notHeardWithinMs }),
  };
}
