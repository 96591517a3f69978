import { afterEach, describe, expect, it, vi } from "vitest";
import { formatBytes } from "../../src/util/format-bytes.js";
import { terminalProgress } from "../../src/util/progress.js";
import { formatClock } from "../../src/util/duration.js";

/** A stand-in terminal collecting what is written to it. */
function fakeTerminal(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream, writes };
}

afterEach(() => vi.useRealTimers());

describe("terminal progress", () => {
  it("shows byte sizes, the rate since the phase started (a resumed part excluded) and the time left", () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, writes } = fakeTerminal(true);
    const progress = terminalProgress(stream);
    progress.start("downloading x.zip", 10 * 1024 * 1024, { bytes: true, from: 2 * 1024 * 1024 });
    vi.setSystemTime(2000);
    progress.update(4 * 1024 * 1024);
    expect(writes.at(-1)).toBe("\r\x1b[2Kdownloading x.zip  40% 4.0 MB/10 MB (2.0s, 1.0 MB/s, ETA 6s)");
    progress.done("saved");
    expect(writes.at(-1)).toBe("\r\x1b[2Kdownloading x.zip: saved (2.0s)\n");
  });

  it("prints only the phase summaries when not on a terminal", () => {
    const { stream, writes } = fakeTerminal(false);
    const progress = terminalProgress(stream);
    progress.start("reading", 100);
    progress.update(50);
    progress.done("ok");
    expect(writes).toEqual([expect.stringMatching(/^reading: ok \(\d+\.\ds\)\n$/)]);
  });
});

describe("formatting", () => {
  it("sizes and durations", () => {
    expect([512, 200 * 1024, 2.44 * 1024 ** 2, 30 * 1024 ** 2, 1.6 * 1024 ** 3].map(formatBytes)).toEqual(["512 B", "200 KB", "2.4 MB", "30 MB", "1.6 GB"]);
    expect([45, 185, 3720].map(formatClock)).toEqual(["45s", "3m 05s", "1h 02m"]);
  });
});
