// Prisma CLI configuration. The bot itself never needs the CLI at run time: it opens the
// database through a driver adapter (src/db/) and applies prisma/migrations itself.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
