// RFC 4180 by hand and by property: whatever the text, parsing the CSV gives back the cells.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, spreadsheetSafe, toCsv } from "../../src/homework/csv.ts";

/** A strict RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let index = 0;
  while (index < text.length) {
    let cell = "";
    if (text[index] === '"') {
      index++;
      for (;;) {
        const quote = text.indexOf('"', index);
        if (quote === -1) throw new Error("unclosed quote");
        cell += text.slice(index, quote);
        index = quote + 1;
        if (text[index] === '"') {
          cell += '"';
          index++;
        } else break;
      }
    } else {
      while (index < text.length && text[index] !== "," && text[index] !== "\r") {
        if (text[index] === '"' || text[index] === "\n") throw new Error(`bare ${JSON.stringify(text[index])} in an unquoted field`);
        cell += text[index++];
      }
    }
    row.push(cell);
    if (text[index] === ",") index++;
    else if (text.startsWith("\r\n", index)) {
      rows.push(row);
      row = [];
      index += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[index])} at ${index}`);
  }
  return rows;
}

describe("csv", () => {
  it("quotes only fields with a comma, a quote, CR or LF, doubling quotes", () => {
    expect(csvField("plain text")).toBe("plain text");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\ronly")).toBe('"cr\ronly"');
    expect(csvField("한국어 ελληνικά")).toBe("한국어 ελληνικά");
  });

  it("ends every record with CRLF and puts a BOM first when asked", () => {
    expect(toCsv([["a", "b"], ["1", "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
    expect(toCsv([["a"]], { bom: true })).toBe("\uFEFFa\r\n");
  });

  it("round-trips any text", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        expect(parseCsv(toCsv(rows))).toEqual(rows);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom("", ",", '"', "\r", "\n", "\r\n", "a", "é", "😀"), { maxLength: 6 }).map((parts) => parts.join("")), { minLength: 1, maxLength: 4 }), (row) => {
        expect(parseCsv(toCsv([row]))).toEqual([row]);
      }),
    );
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(["=1+1", "+49 30", "-x", "@SUM(A1)", "\tx"].map(spreadsheetSafe)).toEqual(["'=1+1", "'+49 30", "'-x", "'@SUM(A1)", "'\tx"]);
    expect(spreadsheetSafe("Talked to Lena = yes")).toBe("Talked to Lena = yes");
  });
});
