import { escapeHtml } from "../../util/html.js";

const TITLES: Record<number, string> = { 400: "That request was not valid", 404: "Not found", 413: "Too large", 500: "Something went wrong" };

/** The body of an error page; the message is user-facing text (escaped). */
export function errorPage(status: number, message: string): string {
  return `
<section class="panel">
  <h1>${escapeHtml(TITLES[status] ?? `Error ${status}`)}</h1>
  <p class="notice error">${escapeHtml(message)}</p>
  <p><a class="button" href="/">Back to the start</a></p>
</section>`;
}
