import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fault suite runs on its own: npm run test:faults (vitest.faults.config.ts).
    exclude: ["test/faults/**", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Test files in one worker share its loaded modules instead of each importing the bot, Prisma
    // and PGlite's WebAssembly afresh: a third less CPU for the suite. Files still share nothing
    // else: each opens its own database (a fresh PGlite, or its own PostgreSQL schema) and app.
    isolate: false,
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // which runs the files one after another although much of their time is spent waiting (bot
    // processes starting, fakes pacing in real time, the database). Three overlap that waiting; on
    // this 2-core machine the suite took 168 s with two workers, 163 s with three, 151 s with four,
    // but four leave the real-time tests too little CPU when the machine is busy.
    maxWorkers: 3,
  },
});
