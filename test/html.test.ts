import { expect, it } from "vitest";
import { escapeHtml } from "../src/util/html.js";

it("escapes markup and quotes", () => {
  expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
  expect(escapeHtml(null)).toBe("");
});
