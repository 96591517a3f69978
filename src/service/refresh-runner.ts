/**
 * The scheduled refresh of a running server (`musicrec serve --refresh 24h`, `POST /api/refresh`):
 * re-sync the remembered sources, then train again with the current bundle's options, each as a
 * child process running the musicrec CLI, so serving never stalls on the work and a crash of the
 * work cannot take the server down. A successful `train` saves a new bundle, which the server's
 * BundleWatcher then swaps in; a failed step is logged and the old models keep serving (training
 * writes its bundle under a new name and switches CURRENT last, so a failure leaves nothing half
 * written). One refresh runs at a time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

/** How to run the musicrec CLI: an executable and the arguments before the subcommand. */
export interface CliCommand {
  file: string;
  args: string[];
}

export interface RefreshStep {
  /** Shown in logs and outcomes ("sync", "train"). */
  name: string;
  /** The CLI arguments after the global options, e.g. ["train", "--like-current"]. */
  args: string[];
}

export interface StepOutcome {
  name: string;
  exitCode: number | null;
  seconds: number;
  /** The step's last line of output (its error when it failed). */
  lastLine: string;
}

export interface RefreshOutcome {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  /** One line: what ran and how it ended. */
  message: string;
  steps: StepOutcome[];
}

export interface RefreshRunnerOptions {
  cli: CliCommand;
  /** The store the children work on (passed as --db). */
  dbPath: string;
  /** The steps of one refresh, decided when it starts. */
  plan: () => Promise<RefreshStep[]>;
  /** Log lines (the children's output, prefixed, and the outcome). */
  log: (line: string) => void;
}

export type StartResult = { started: true; startedAt: string } | { started: false; runningSince: string };

export class RefreshRunner {
  /** The refresh in progress, null when idle. */
  running: { startedAt: string; step: string | null } | null = null;
  last: RefreshOutcome | null = null;
  /** When the schedule runs the next refresh (ISO 8601), null without a schedule. */
  nextAt: string | null = null;
  private child: ChildProcess | null = null;
  private current: Promise<RefreshOutcome> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: RefreshRunnerOptions) {}

  /** Starts a refresh unless one is running (then says since when). */
  start(): StartResult {
    if (this.running) return { started: false, runningSince: this.running.startedAt };
    const startedAt = new Date().toISOString();
    this.running = { startedAt, step: null };
    this.current = this.run(startedAt).finally(() => {
      this.running = null;
    });
    return { started: true, startedAt };
  }

  /** The running refresh's outcome, or the last one when idle. */
  async settled(): Promise<RefreshOutcome | null> {
    return this.current ? this.current : this.last;
  }

  /** Runs a refresh every `everyMs`, the first one `everyMs` from now. */
  schedule(everyMs: number): void {
    const next = () => {
      this.nextAt = new Date(Date.now() + everyMs).toISOString();
      this.timer = setTimeout(() => {
        if (this.stopped) return;
        const result = this.start();
        if (!result.started) this.options.log(`refresh: skipped, the one started at ${result.runningSince} is still running`);
        next();
      }, everyMs);
      this.timer.unref();
    };
    next();
  }

  /** Cancels the schedule and stops a running step (its output is written atomically, so nothing is left half done). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = null;
    this.child?.kill("SIGTERM");
    await this.current?.catch(() => undefined);
  }

  private async run(startedAt: string): Promise<RefreshOutcome> {
    const { log } = this.options;
    const steps: StepOutcome[] = [];
    let message: string;
    try {
      const plan = await this.options.plan();
      log(`refresh: started (${plan.map((s) => s.name).join(", then ")})`);
      for (const step of plan) {
        if (this.stopped) break;
        this.running = { startedAt, step: step.name };
        const outcome = await this.runStep(step);
        steps.push(outcome);
        // A failed sync still leaves new data from the sources that worked and from imports: train anyway.
        if (outcome.exitCode !== 0 && step.name !== "sync") break;
      }
      const failed = steps.filter((s) => s.exitCode !== 0);
      message =
        failed.length === 0
          ? `${steps.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(", ")}`
          : failed.map((s) => `${s.name} failed (${s.exitCode === null ? "stopped" : `exit ${s.exitCode}`}): ${s.lastLine}`).join("; ");
    } catch (error) {
      message = `could not start: ${error instanceof Error ? error.message : String(error)}`;
    }
    const ok = steps.length > 0 && steps.every((s) => s.exitCode === 0) && !this.stopped;
    const outcome: RefreshOutcome = { startedAt, finishedAt: new Date().toISOString(), ok, message, steps };
    this.last = outcome;
    log(ok ? `refresh: done (${message})` : `refresh: FAILED, the current models keep serving: ${message}`);
    return outcome;
  }

  private runStep(step: RefreshStep): Promise<StepOutcome> {
    const { cli, dbPath, log } = this.options;
    const started = performance.now();
    return new Promise((resolve) => {
      const child = spawn(cli.file, [...cli.args, "--db", dbPath, ...step.args], { stdio: ["ignore", "pipe", "pipe"] });
      this.child = child;
      let lastLine = "";
      const onLine = (line: string) => {
        const text = line.replace(/\r/g, "").trim();
        if (!text) return;
        lastLine = text.replace(/^musicrec: /, "");
        log(`refresh ${step.name}: ${text}`);
      };
      readline.createInterface({ input: child.stdout! }).on("line", onLine);
      readline.createInterface({ input: child.stderr! }).on("line", onLine);
      const finish = (exitCode: number | null) => {
        this.child = null;
        resolve({ name: step.name, exitCode, seconds: (performance.now() - started) / 1000, lastLine });
      };
      child.once("error", (error) => {
        lastLine = error.message;
        finish(-1);
      });
      child.once("close", (code) => finish(code));
    });
  }
}
