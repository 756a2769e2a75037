// Runs the real program (`npm start`'s entry) as a child process, for end-to-end tests: type
// into its console, read what it prints, read its structured logs, stop it with a signal.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  /** Everything written to stderr (logs and plain error messages). */
  errors(): string;
  logs(): Record<string, unknown>[];
  /** Resolves with the whole output once it matches; rejects after the timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  waitForLog(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  type(line: string): void;
  endInput(): void;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startBotProcess(env: Record<string, string>, args: string[] = ["--console"]): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "info", PORT: "0", LANG: "C.UTF-8", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    notify();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => {
    notify();
    resolve(code);
  }));
  const logs = () =>
    stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const result = check();
        if (result !== undefined) {
          cleanup();
          resolve(result);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(attempt);
      };
      listeners.add(attempt);
      attempt();
    });
  }

  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    logs,
    waitForOutput: (pattern, timeoutMs = 30_000) => waitUntil(() => (pattern.test(stdout) ? stdout : undefined), timeoutMs, String(pattern)),
    waitForLog: (predicate, timeoutMs = 30_000) => waitUntil(() => logs().find(predicate), timeoutMs, "a log entry"),
    type: (line) => child.stdin.write(`${line}\n`),
    endInput: () => child.stdin.end(),
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
}
