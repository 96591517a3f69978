/** A name typed without picking from the list that matches several listeners: offer them. */
import { escapeHtml } from "../../util/html.js";
import { userPageUrl } from "../page-urls.js";
import type { UserSearchResult } from "../user-search.js";

export function didYouMeanPage(query: string, matches: UserSearchResult): string {
  const more = matches.total > matches.users.length ? `<p class="muted">…and ${matches.total - matches.users.length} more: type more of the name.</p>` : "";
  const links = matches.users.map((u) => `<li><a href="${escapeHtml(userPageUrl(u.name))}">${escapeHtml(u.name)}</a></li>`).join("");
  return `
<section class="panel">
  <h1>No listener is called “${escapeHtml(query)}”</h1>
  <p>These names contain it:</p>
  <ul class="chips">${links}</ul>
  ${more}
  <p><a class="button secondary" href="/">Back to the picker</a></p>
</section>`;
}
