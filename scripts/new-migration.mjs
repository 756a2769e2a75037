#!/usr/bin/env node
// Writes prisma/migrations/<timestamp>_<name>/migration.sql for the change between the last
// committed prisma/schema.prisma and the working copy, using ../shared/tools/migration-sql
// (Prisma's schema engine as WebAssembly; no database, no binary download), then regenerates
// the client. Usage: npm run db:migration -- add_homework
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(2);
}
const tool = process.env.MIGRATION_SQL ?? path.resolve("../shared/tools/migration-sql");
if (!existsSync(tool)) {
  console.error(`migration-sql not found at ${tool}; set MIGRATION_SQL to its path`);
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const sql = execFileSync(tool, ["--git", "HEAD", "prisma/schema.prisma"], { encoding: "utf8" });
if (!sql.trim()) {
  console.error("prisma/schema.prisma has no changes since HEAD: nothing to migrate");
  process.exit(1);
}
const directory = path.join("prisma/migrations", `${stamp}_${name}`);
mkdirSync(directory, { recursive: true });
writeFileSync(path.join(directory, "migration.sql"), sql);
console.log(`wrote ${directory}/migration.sql — read it before committing`);
execFileSync(process.execPath, ["scripts/prisma-generate.mjs"], { stdio: "inherit" });
