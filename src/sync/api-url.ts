import { UserError } from "../util/errors.js";

/** An API base URL as given (--api-url), checked: http(s) only. */
export function checkApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`--api-url: not a URL: "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UserError(`--api-url: expected an http(s) URL, got "${text}"`);
  return url.href;
}
