#!/usr/bin/env node
// Runs `prisma generate` offline. The Prisma CLI wants to download its schema-engine binary at
// start-up even though generating the client never uses it; pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file stops the download. Runs on `npm install`.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
