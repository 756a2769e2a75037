// `npm run bench [name ...]`: runs the benchmarks under bench/ one after another and prints
// their figures. Benchmarks measure; tests never assert timings.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(", ")}; available: ${readdirSync(here).filter((file) => file.endsWith(".bench.ts")).join(", ")}`);
  process.exit(2);
}
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const module = (await import(pathToFileURL(path.join(here, file)).href)) as { main?: () => Promise<void> };
  if (typeof module.main !== "function") throw new Error(`${file} does not export main()`);
  await module.main();
}
