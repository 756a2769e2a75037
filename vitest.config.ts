import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fault suite runs on its own: npm run test:faults (vitest.faults.config.ts).
    exclude: ["test/faults/**", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // which runs the files one after another although most of their time is spent waiting (bot
    // processes starting, fakes pacing in real time, the database). Two overlap that waiting.
    maxWorkers: 2,
  },
});
