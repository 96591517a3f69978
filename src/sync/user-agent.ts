import { createRequire } from "node:module";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

/**
 * The User-Agent of every request, as MusicBrainz asks: `musicrec/<version> ( <contact> )`.
 * The contact (an e-mail or URL where the operator can be reached) comes from MUSICREC_CONTACT.
 */
export function userAgent(contact: string | undefined = process.env.MUSICREC_CONTACT): string {
  const trimmed = contact?.trim();
  return trimmed ? `musicrec/${version} ( ${trimmed} )` : `musicrec/${version}`;
}
