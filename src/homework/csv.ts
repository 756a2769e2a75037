// CSV as RFC 4180 describes it: records end in CRLF, fields are separated by commas, and a field
// containing a comma, a double quote, CR or LF is enclosed in double quotes, with each double
// quote inside doubled. Text is UTF-8; with `bom`, a byte-order mark first, because Excel reads a
// CSV without one in the computer's legacy code page and garbles every non-Latin character
// (LibreOffice, Google Sheets, pandas' utf-8-sig and Python's csv module all accept it).

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv(rows: readonly (readonly string[])[], options: { bom?: boolean } = {}): string {
  const body = rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
  return (options.bom ? "\uFEFF" : "") + body;
}

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a leading tab or CR) gets a
 * leading apostrophe, so a participant's text can't run as a formula on a facilitator's
 * computer (OWASP's advice on CSV injection). The stored text is unchanged.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
