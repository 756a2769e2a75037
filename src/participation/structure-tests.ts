// A group charts its unit (how many people work or live there) and records structure tests: how
// many took part out of how many. A test reaching the program's supermajority (default 70%)
// shows the group can move its unit. Recording a test under a name the group already used
// corrects it: a new row, the old one pointing to it, so the history stays.
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { Group, Member, PrismaClient, StructureTest } from "../generated/prisma/client.ts";
import { audit } from "../services/audit.ts";
import { groupNameKey } from "../services/registration.ts";

/** The largest unit anyone charts (a big hospital, a city-wide tenant union). */
export const MAX_UNIT_SIZE = 1_000_000;

export interface RecordedTest {
  test: StructureTest;
  /** The earlier figures this one corrects, if any. */
  corrected: StructureTest | null;
}

export function reachesSupermajority(test: Pick<StructureTest, "participants" | "unitSize">, supermajority: number): boolean {
  return test.unitSize > 0 && test.participants / test.unitSize >= supermajority;
}

export class StructureTestService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /** Sets how many people the group's unit has; the audit log keeps the earlier size. */
  async chart(group: Group, size: number, by: Member): Promise<Group> {
    return this.db.$transaction(async (tx) => {
      const updated = await tx.group.update({ where: { id: group.id }, data: { unitSize: size } });
      await audit(tx, { actorMemberId: by.id, action: "participation.charted", details: { groupId: group.id, before: group.unitSize, after: size } });
      return updated;
    });
  }

  /** Records a test; without `unitSize` the group's chart is used. */
  async record(request: { group: Group; name: string; participants: number; unitSize?: number; by: Member }): Promise<RecordedTest> {
    const unitSize = request.unitSize ?? request.group.unitSize;
    if (unitSize === null || unitSize === undefined) throw new UserError("participation.test.noChart");
    if (request.participants > unitSize) throw new UserError("participation.test.moreThanUnit", { participants: request.participants, unitSize });
    const nameKey = groupNameKey(request.name);
    return this.db.$transaction(async (tx) => {
      const corrected = await tx.structureTest.findFirst({ where: { groupId: request.group.id, nameKey, supersededById: null } });
      const test = await tx.structureTest.create({
        data: { groupId: request.group.id, name: request.name, nameKey, participants: request.participants, unitSize, recordedAt: this.clock.now(), recordedById: request.by.id },
      });
      if (corrected) await tx.structureTest.update({ where: { id: corrected.id }, data: { supersededById: test.id } });
      return { test, corrected };
    });
  }

  /** The group's current tests, newest first, each with how many corrections it had. */
  async current(groupId: number): Promise<(StructureTest & { corrections: number })[]> {
    const all = await this.db.structureTest.findMany({ where: { groupId }, orderBy: [{ recordedAt: "desc" }, { id: "desc" }] });
    return all
      .filter((test) => test.supersededById === null)
      .map((test) => ({ ...test, corrections: all.filter((other) => other.nameKey === test.nameKey).length - 1 }));
  }

  /** Each group's most recent current test (groups without one are left out). */
  async latestPerGroup(groupIds: readonly number[]): Promise<Map<number, StructureTest>> {
    const tests = await this.db.structureTest.findMany({
      where: { groupId: { in: [...groupIds] }, supersededById: null },
      orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
      distinct: ["groupId"],
    });
    return new Map(tests.map((test) => [test.groupId, test]));
  }
}
