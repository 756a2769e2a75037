// The replies of the privacy commands: the JSON file, and what deleting would remove.
import type { FileAttachment } from "../core/messages.ts";
import type { Translate } from "../i18n/i18n.ts";
import type { PersonalDataFile } from "./personal-data.ts";

export function jsonFile(file: PersonalDataFile): FileAttachment {
  return { fileName: file.fileName, contentType: "application/json", data: new TextEncoder().encode(`${JSON.stringify(file.data, null, 2)}\n`) };
}

/** The lines about homework: how many submissions go, and how many stay anonymised. */
export function submissionLines(t: Translate, counts: { submissionsDeleted: number; submissionsKept: number }): string[] {
  return [
    ...(counts.submissionsDeleted > 0 ? [t("privacy.submissionsDeleted", { count: counts.submissionsDeleted })] : []),
    ...(counts.submissionsKept > 0 ? [t("privacy.submissionsKept", { count: counts.submissionsKept })] : []),
  ];
}
