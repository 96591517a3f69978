import { formatBytes } from "./format-bytes.js";
import { formatClock } from "./duration.js";

/**
 * Progress for long work (import, training, evaluation). On a terminal it redraws one line on
 * stderr at most a few times a second; elsewhere (CI, pipes) it prints a line per phase only.
 */
export interface Progress {
  /** Starts a phase; total is the unit count when known. */
  start(phase: string, total?: number, options?: PhaseOptions): void;
  /** Sets the number of units done in the current phase. */
  update(done: number): void;
  /** Ends the current phase with an optional summary. */
  done(summary?: string): void;
}

export interface PhaseOptions {
  /** Count bytes: shown as sizes with a transfer rate. */
  bytes?: boolean;
  /** Units already done when the phase starts (a resumed download): not part of the rate. */
  from?: number;
}

export const silentProgress: Progress = { start() {}, update() {}, done() {} };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const interactive = Boolean(stream.isTTY);
  let phase = "";
  let total: number | undefined;
  let options: PhaseOptions = {};
  let started = 0;
  let lastDraw = 0;
  const seconds = () => (Date.now() - started) / 1000;
  const elapsed = () => seconds().toFixed(1);
  const amount = (n: number) => (options.bytes ? formatBytes(n) : n.toLocaleString("en"));
  const draw = (done: number) => {
    const pct = total ? ` ${((100 * done) / total).toFixed(0).padStart(3)}%` : "";
    const of = total ? `/${amount(total)}` : "";
    const perSecond = (done - (options.from ?? 0)) / seconds();
    const rate = options.bytes && seconds() >= 1 ? `, ${formatBytes(perSecond)}/s` : "";
    const eta = total && seconds() >= 1 && perSecond > 0 ? `, ETA ${formatClock((total - done) / perSecond)}` : "";
    stream.write(`\r\x1b[2K${phase}${pct} ${amount(done)}${of} (${elapsed()}s${rate}${eta})`);
  };
  return {
    start(name, count, phaseOptions = {}) {
      phase = name;
      total = count;
      options = phaseOptions;
      started = Date.now();
      lastDraw = 0;
      if (interactive) draw(options.from ?? 0);
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

/**
 * A status line for work whose size is known only as a fraction done (a listening history walked
 * back in time, a list of artists to look up): `phase: detail 35% ETA 1:12`. On a terminal it
 * redraws at most a few times a second; elsewhere only notes and the final summary are printed.
 */
export interface StatusProgress {
  start(phase: string): void;
  /** `fraction` in [0, 1] when known; the ETA is extrapolated from the time taken so far. */
  update(detail: string, fraction?: number | null): void;
  /** A one-off message (e.g. "rate limited, waiting 30 s"), printed on its own line. */
  note(message: string): void;
  done(summary: string): void;
}

export const silentStatus: StatusProgress = { start() {}, update() {}, note() {}, done() {} };

/** Remaining time when `fraction` of the work took `elapsedSeconds`; null until it means something. */
export function estimateRemaining(elapsedSeconds: number, fraction: number | null | undefined): number | null {
  if (fraction == null || !(fraction > 0.01) || fraction >= 1 || elapsedSeconds < 1) return null;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

export function terminalStatus(stream: NodeJS.WriteStream = process.stderr): StatusProgress {
  const interactive = Boolean(stream.isTTY);
  let phase = "";
  let started = 0;
  let lastDraw = 0;
  let line = "";
  const clear = () => {
    if (interactive && line !== "") stream.write("\r\x1b[2K");
  };
  return {
    start(name) {
      phase = name;
      started = Date.now();
      lastDraw = 0;
      line = "";
    },
    update(detail, fraction) {
      if (!interactive) return;
      const now = Date.now();
      if (now - lastDraw < 200) return;
      lastDraw = now;
      const pct = fraction == null ? "" : ` ${Math.min(100, Math.floor(100 * fraction))}%`;
      const remaining = estimateRemaining((now - started) / 1000, fraction);
      line = `${phase}: ${detail}${pct}${remaining == null ? "" : ` ETA ${formatClock(remaining)}`}`;
      stream.write(`\r\x1b[2K${line}`);
    },
    note(message) {
      clear();
      stream.write(`${phase}: ${message}\n`);
      if (interactive && line !== "") stream.write(line);
    },
    done(summary) {
      clear();
      line = "";
      stream.write(`${phase}: ${summary} (${formatClock((Date.now() - started) / 1000)})\n`);
    },
  };
}

/** A terminal status line unless --json output was asked for. */
export function statusProgressFor(options: { json?: boolean; quiet?: boolean }): StatusProgress {
  return options.json || options.quiet ? silentStatus : terminalStatus();
}
