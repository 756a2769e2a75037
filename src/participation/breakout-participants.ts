// Who takes part in a session's breakouts once check-in exists: when rooms are generated during
// the session (anyone has checked in), the members present; before (nobody has yet), everyone
// registered, as before. Plugs into the breakouts' ParticipantSource seam.
import { registeredMembers, type ParticipantSource } from "../breakouts/population.ts";

export const checkedInOrRegistered: ParticipantSource = async (db, session, leaders) => {
  const everyone = await registeredMembers(db, session, leaders);
  const present = await db.checkIn.findMany({ where: { sessionId: session.id, present: true, memberId: { not: null } }, select: { memberId: true } });
  if (present.length === 0) return everyone;
  const here = new Set(present.map((checkIn) => checkIn.memberId));
  return everyone.filter((participant) => here.has(participant.memberId));
};
