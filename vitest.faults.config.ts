// The fault suite (`npm run test:faults`): real bot processes, the platform fakes and the
// machine's PostgreSQL (DATABASE_URL, else 127.0.0.1:5432/test), one scenario at a time.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
