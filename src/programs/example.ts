// The example program (examples/organizing-for-power.yaml), loaded into an empty database so a
// first start shows a working bot: shifted to the coming weeks so registration is open and the
// first session is next week.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Clock } from "../clock.ts";
import type { Notice } from "../core/notice.ts";
import type { Logger } from "../logger.ts";
import type { ProgramService } from "../services/programs.ts";
import { shiftToUpcoming } from "../services/programs.ts";
import { readProgramFile } from "./program-file.ts";

export const EXAMPLE_PROGRAM = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../examples/organizing-for-power.yaml");

/** Loads the example when there is no program yet: a notice for the console, else undefined. */
export async function seedExampleProgram(programs: ProgramService, clock: Clock, logger: Logger): Promise<Notice | undefined> {
  if (!(await programs.isEmpty())) return undefined;
  const { file, weeks } = shiftToUpcoming(readProgramFile(EXAMPLE_PROGRAM), clock.now());
  const { program, sessions } = await programs.import(file, { activate: true });
  const first = sessions[0]!;
  logger.info(
    { program: program.slug, shiftedByWeeks: weeks, firstSession: first.startsAt.toISOString(), registrationUntil: program.registrationDeadline.toISOString() },
    "empty database: loaded the example program, shifted so that registration is open and the first session is next week",
  );
  return {
    key: "app.exampleLoaded",
    params: { program: program.title, first: first.startsAt, deadline: program.registrationDeadline },
    zone: program.timezone,
  };
}
