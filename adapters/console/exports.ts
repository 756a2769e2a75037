// Files the bot sends in the console (homework CSV exports) are written to a directory
// (<DATA_DIR>/exports by default) instead, and their path is shown. Never overwrites: a second
// export of the same name gets "-2", "-3", ...
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FileAttachment } from "../../src/core/messages.ts";

export async function saveFile(directory: string, file: FileAttachment): Promise<string> {
  await mkdir(directory, { recursive: true });
  const name = path.basename(file.fileName).replace(/[^\p{L}\p{N}._-]+/gu, "_").replace(/^\.+/, "") || "file";
  const extension = path.extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let attempt = 1; ; attempt++) {
    const candidate = path.resolve(directory, attempt === 1 ? name : `${stem}-${attempt}${extension}`);
    try {
      await writeFile(candidate, file.data, { flag: "wx" });
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
