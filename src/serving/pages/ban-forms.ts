/**
 * The web app's "not for me" controls: a small same-origin POST form under each recommendation
 * (CSRF token from write-access.ts; when the server has a write token, the confirmation page asks
 * for it), the listener's list of bans with an undo button each, and that confirmation page.
 */
import { escapeHtml } from "../../util/html.js";
import type { ItemView } from "../../service/item-view.js";
import type { OpinionEntry } from "../../service/opinion-changes.js";
import { CSRF_FIELD, TOKEN_FIELD } from "../write-access.js";

/** What every ban form of a page carries. */
export interface BanFormContext {
  user: string;
  csrf: string;
  /** The page to return to (same-origin path with its query). */
  back: string;
}

export const BAN_PATH = "/feedback/ban";
export const UNBAN_PATH = "/feedback/unban";

function hiddenFields(form: BanFormContext, fields: Record<string, string>): string {
  const all = { [CSRF_FIELD]: form.csrf, user: form.user, back: form.back, ...fields };
  return Object.entries(all)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
}

/** "Not for me" (the track) and, for tracks, "No more of <artist>" under a recommendation. */
export function banButtons(form: BanFormContext, item: ItemView): string {
  const artistButton =
    item.track == null
      ? ""
      : ` <button class="link" name="scope" value="artist" title="Never suggest ${escapeHtml(item.artist)} to ${escapeHtml(form.user)}">No more of this artist</button>`;
  return (
    `<form class="rec-actions" method="post" action="${BAN_PATH}">${hiddenFields(form, { item: item.key })}` +
    `<button class="link" name="scope" value="item" title="Never suggest this to ${escapeHtml(form.user)}">Not for me</button>${artistButton}</form>`
  );
}

/** The listener's bans, each with an undo button. */
export function bansPanel(form: BanFormContext, banned: readonly OpinionEntry[]): string {
  if (banned.length === 0) return "";
  const rows = banned.map(
    (ban) =>
      `<li><span>${escapeHtml(ban.label)}</span> <span class="muted small">(${ban.target}${ban.source === "musicrec" ? "" : `, from ${escapeHtml(ban.source)}`})</span>` +
      `<form class="rec-actions inline" method="post" action="${UNBAN_PATH}">${hiddenFields(form, { [ban.target === "artist" ? "artist" : "item"]: ban.key })}` +
      `<button class="link">Undo</button></form></li>`,
  );
  return `<details class="panel bans"><summary>Never suggested to ${escapeHtml(form.user)} (${banned.length})</summary><ul class="ban-list">${rows.join("")}</ul></details>`;
}

/** Asks for the server's write token before a ban (when the server has one), resending the same fields. */
export function confirmBanPage(action: string, fields: Record<string, string>, message: string | null): string {
  const hidden = Object.entries(fields)
    .filter(([name]) => name !== TOKEN_FIELD)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  return `
<h1>Confirm the change</h1>
${message ? `<div class="notice warn">${escapeHtml(message)}</div>` : ""}
<form class="panel" method="post" action="${escapeHtml(action)}">
  ${hidden}
  <div class="field"><label for="write-token">Write token</label><input id="write-token" name="${TOKEN_FIELD}" type="password" autocomplete="current-password" maxlength="500" required></div>
  <button type="submit">${action === BAN_PATH ? "Never suggest it" : "Suggest it again"}</button>
  <a class="button secondary" href="${escapeHtml(fields.back ?? "/")}">Cancel</a>
</form>`;
}
