/**
 * Progress for long work (import, training, evaluation). On a terminal it redraws one line on
 * stderr at most a few times a second; elsewhere (CI, pipes) it prints a line per phase only.
 */
export interface Progress {
  /** Starts a phase; total is the unit count when known. */
  start(phase: string, total?: number): void;
  /** Sets the number of units done in the current phase. */
  update(done: number): void;
  /** Ends the current phase with an optional summary. */
  done(summary?: string): void;
}

export const silentProgress: Progress = { start() {}, update() {}, done() {} };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const interactive = Boolean(stream.isTTY);
  let phase = "";
  let total: number | undefined;
  let started = 0;
  let lastDraw = 0;
  const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
  const draw = (done: number) => {
    const pct = total ? ` ${((100 * done) / total).toFixed(0).padStart(3)}%` : "";
    const of = total ? `/${total.toLocaleString("en")}` : "";
    stream.write(`\r\x1b[2K${phase}${pct} ${done.toLocaleString("en")}${of} (${elapsed()}s)`);
  };
  return {
    start(name, count) {
      phase = name;
      total = count;
      started = Date.now();
      lastDraw = 0;
      if (interactive) draw(0);
    },
    update(done) {
      if (!interactive) return;
      const now = Date.now();
      if (now - lastDraw < 200) return;
      lastDraw = now;
      draw(done);
    },
    done(summary) {
      const line = `${phase}: ${summary ?? "done"} (${elapsed()}s)`;
      stream.write(interactive ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}

/** Progress on a terminal unless --json output was asked for or stderr is not a TTY. */
export function progressFor(options: { json?: boolean; quiet?: boolean }): Progress {
  return options.json || options.quiet ? silentProgress : terminalProgress();
}
