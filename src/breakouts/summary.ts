// What a coordinator reads after /breakouts generate (and when publishing needs confirmation):
// rooms, sizes, languages, facilitators, each quality rule's status, every problem with the
// rooms and people it concerns, and the facilitators who lead fewer rooms than they offered.
import { message, type MessageBuilder, type OutgoingMessage } from "../core/messages.ts";
import type { Locale, Translate } from "../i18n/i18n.ts";
import type { BreakoutViolation } from "./assign.ts";
import type { Proposal, RoundDetails } from "./breakout-service.ts";
import { languageLabel, roomLabel } from "./labels.ts";
import type { LinkLimit } from "./parallel-rooms.ts";
import { sessionTitle } from "../programs/session-titles.ts";

/** Rooms listed one by one in a summary; a big round lists the first ones. */
const ROOMS_LISTED = 20;
/** People named in one problem line. */
const NAMES_LISTED = 10;

export function proposalSummary(t: Translate, locale: Locale, proposal: Proposal): OutgoingMessage {
  const { report, round, session, rooms } = proposal;
  const body = message()
    .heading(t("breakouts.summary.heading", { index: session.index, title: sessionTitle(session, locale) }))
    .text(
      t("breakouts.summary.overview", {
        count: report.rooms,
        people: report.assignedParticipants,
        mode: t(`breakouts.modes.${round.mode}`),
        size: round.targetSize,
        seed: round.seed,
      }),
    );
  body.list(
    report.languages.map((language) => [
      { text: languageLabel(language.language, locale), style: "bold" },
      ` — ${t("breakouts.summary.language", {
        people: language.participants,
        rooms: language.rooms,
        sizes: sizeRange(language.minSize, language.maxSize),
        leading: language.facilitatorsUsed,
        available: language.facilitatorsAvailable,
      })}`,
    ]),
  );
  body.text({ text: t("breakouts.summary.rooms"), style: "bold" });
  body.list(
    rooms.slice(0, ROOMS_LISTED).map((room) => [
      roomLabel(t, room, locale),
      ` — ${room.facilitator ? t("breakouts.facilitatorIs", { name: room.facilitator.name }) : t("breakouts.noFacilitator")}`,
      ` — ${t("breakouts.summary.people", { count: room.seats.length })}`,
    ]),
  );
  if (rooms.length > ROOMS_LISTED) body.text(t("breakouts.summary.moreRooms", { count: rooms.length - ROOMS_LISTED }));

  body.text({ text: t("breakouts.summary.rules"), style: "bold" });
  const mark = (status: string) => (status === "met" ? "✓" : "✗");
  body.list([
    [`${mark(report.rules.rule1)} ${t("breakouts.rules.rule1")}`],
    [`${mark(report.rules.rule2)} ${t("breakouts.rules.rule2", { size: round.targetSize })}`],
    [`${mark(report.rules.rule3)} ${t(`breakouts.rules.rule3${round.mode === "keep" ? "Keep" : "Mix"}`)}`],
    [`ℹ ${t("breakouts.rules.rule4", { repeated: report.repeatedPairs, pairs: report.totalPairs })}`],
    [`✓ ${t("breakouts.rules.rule5", { seed: round.seed })}`],
  ]);
  addProblems(body, t, locale, proposal);

  if (proposal.replaced) body.text(t("breakouts.summary.replaced"));
  if (proposal.published) {
    body.text(
      proposal.published.changedGroups > 0
        ? t("breakouts.summary.correction", { version: proposal.published.version, count: proposal.published.changedGroups })
        : t("breakouts.summary.noChange", { version: proposal.published.version }),
    );
  }
  body.text(round.needsConfirmation ? t("breakouts.summary.confirm", { index: session.index }) : t("breakouts.summary.publish", { index: session.index }));
  return body.build();
}

/** The answer to /breakouts publish when the proposal breaks rule 1 or 2: why, and how to go on. */
export function confirmationNeeded(t: Translate, locale: Locale, details: RoundDetails): OutgoingMessage {
  const body = message().heading(t("breakouts.publish.needsConfirmation", { index: details.session.index }));
  addProblems(body, t, locale, details);
  return body.text(t("breakouts.publish.howToConfirm", { index: details.session.index })).build();
}

function addProblems(body: MessageBuilder, t: Translate, locale: Locale, details: RoundDetails): void {
  const errors = details.report.violations.filter((violation) => violation.severity === "error");
  const warnings = details.report.violations.filter((violation) => violation.severity !== "error");
  if (errors.length > 0) {
    body.text({ text: t("breakouts.summary.problems"), style: "bold" });
    body.list(errors.map((violation) => [describeViolation(t, locale, details, violation)]));
  }
  const linkLimits = details.report.linkLimits ?? [];
  if (warnings.length > 0 || linkLimits.length > 0) {
    body.text({ text: t("breakouts.summary.notes"), style: "bold" });
    body.list([
      ...warnings.map((violation) => [describeViolation(t, locale, details, violation)]),
      ...(linkLimits.length > 0 ? [[describeLinkLimits(t, details, linkLimits)]] : []),
    ]);
  }
}

/** Facilitators who lead fewer rooms than they offered, for want of a video link per room. */
function describeLinkLimits(t: Translate, details: RoundDetails, limits: readonly LinkLimit[]): string {
  const names = limits.map((limit) =>
    t("breakouts.summary.linkLimit", { name: details.names.get(limit.facilitatorId) ?? limit.facilitatorId, leadable: limit.leadable, offered: limit.offered }),
  );
  return t("breakouts.summary.linkLimited", { count: limits.length, names: nameList(t, names) });
}

function describeViolation(t: Translate, locale: Locale, details: RoundDetails, violation: BreakoutViolation): string {
  const names = (ids: readonly string[]) => nameList(t, ids.map((id) => details.names.get(id) ?? id));
  switch (violation.code) {
    case "participant-without-language":
      return t("breakouts.violations.noLanguage", { count: violation.details.participants, names: names(violation.participantIds) });
    case "language-without-facilitator":
      return t("breakouts.violations.noFacilitator", {
        language: languageLabel(violation.language, locale),
        rooms: roomList(violation.details.roomIndexes),
        names: names(violation.participantIds),
      });
    case "language-facilitators-unavailable":
      return t("breakouts.violations.facilitatorsBusy", {
        count: violation.details.facilitatorsSpeakingLanguage,
        language: languageLabel(violation.language, locale),
        rooms: roomList(violation.details.roomIndexes),
        names: names(violation.participantIds),
      });
    case "insufficient-facilitator-capacity":
      return t("breakouts.violations.tooFewFacilitators", {
        language: languageLabel(violation.language, locale),
        target: violation.details.targetRoomSize,
        desired: violation.details.desiredRooms,
        count: violation.details.rooms,
        rooms: roomList(violation.details.roomIndexes),
        sizes: sizeRange(violation.details.minSize, violation.details.maxSize),
      });
    case "language-below-min-room-size":
      return t("breakouts.violations.tooFewPeople", {
        language: languageLabel(violation.language, locale),
        count: violation.details.participants,
        minimum: violation.details.minRoomSize,
        room: violation.roomIndex + 1,
        names: names(violation.participantIds),
      });
    case "group-split":
      return t("breakouts.violations.groupSplit", {
        group: details.groupNames.get(violation.details.groupId) ?? violation.details.groupId,
        people: violation.details.groupMembers,
        rooms: roomList(violation.details.roomIndexes),
        minimum: violation.details.minimumRooms,
      });
  }
}

function sizeRange(min: number, max: number): string {
  return min === max ? String(min) : `${min}–${max}`;
}

/** Room numbers (1-based) from room indexes, three or more consecutive ones as a range: "3, 5, 6, 8–10". */
function roomList(indexes: readonly number[]): string {
  const numbers = [...new Set(indexes)].map((index) => index + 1).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let start = 0; start < numbers.length; ) {
    let end = start;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end]! + 1) end++;
    if (end - start >= 2) parts.push(`${numbers[start]}–${numbers[end]}`);
    else parts.push(...numbers.slice(start, end + 1).map(String));
    start = end + 1;
  }
  return parts.join(", ");
}

function nameList(t: Translate, names: readonly string[]): string {
  const sorted = [...names].sort((a, b) => a.localeCompare(b));
  const shown = sorted.slice(0, NAMES_LISTED).join(", ");
  return sorted.length > NAMES_LISTED ? t("breakouts.summary.andMore", { names: shown, count: sorted.length - NAMES_LISTED }) : shown;
}
