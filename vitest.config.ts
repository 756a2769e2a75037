import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The end-to-end files first, then vitest's own order (longest last time first, else largest).
 * They spend most of their time waiting on bot processes and real time, so started first they
 * overlap everything else; started last, on a fresh clone with no timings kept, they ran alone.
 */
class EndToEndFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const endToEnd = (file: TestSpecification) => /[/\\]test[/\\]e2e[/\\]/.test(file.moduleId);
    return [...sorted.filter(endToEnd), ...sorted.filter((file) => !endToEnd(file))];
  }
}

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
    sequence: { sequencer: EndToEndFirst },
  },
});
