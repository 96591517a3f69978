import { describe, expect, it } from "vitest";
import { renderPage } from "../../src/serving/pages/layout.js";

describe("the demo-data banner", () => {
  const page = (synthetic: boolean, syntheticReason?: string) => renderPage({ title: "t", section: "home", synthetic, syntheticReason, body: "" });

  it("says the data is synthetic, why (escaped), and how to get real data", () => {
    const html = page(true, 'the host <b>"x"</b> refused');
    expect(html).toContain("<strong>Demo data.</strong>");
    expect(html).toContain("They are served because the host &lt;b&gt;&quot;x&quot;&lt;/b&gt; refused.");
    for (const command of ["musicrec datasets fetch hetrec2011-lastfm-2k", "musicrec sync lastfm YOUR-NAME", "musicrec import your-scrobbles.csv", "musicrec train"]) {
      expect(html).toContain(`<code>${command}</code>`);
    }
  });

  it("is absent for real data and has no reason when none is known", () => {
    expect(page(false, "ignored")).not.toContain("demo-banner");
    expect(page(true)).not.toContain("served because");
  });
});
