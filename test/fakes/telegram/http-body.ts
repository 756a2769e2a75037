/**
 * Request parameter parsing for the fake Bot API server. Like the real
 * server it accepts parameters in the query string and in a body encoded as
 * application/json, application/x-www-form-urlencoded or multipart/form-data.
 */
import type { IncomingMessage } from "node:http";

/** A file part of a multipart/form-data request. */
export interface UploadedFile {
  /** Name of the form field (grammY uses a random id referenced as attach://<id>). */
  field: string;
  /** File name from the content-disposition header. */
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedRequest {
  /** Non-file parameters. JSON bodies keep their native types; other encodings give strings. */
  params: Record<string, unknown>;
  /** File parts by field name. */
  files: Map<string, UploadedFile>;
}

/** Raised for malformed bodies; carries the HTTP status/description to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Telegram refuses uploads above 50 MB with 413. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024 + 64 * 1024;

export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) tooLarge = true; // keep draining so the client gets our answer
    else chunks.push(chunk);
  }
  if (tooLarge) throw new BodyError(413, "Request Entity Too Large");
  return Buffer.concat(chunks);
}

export function parseRequest(contentType: string | undefined, body: Buffer, query: URLSearchParams): ParsedRequest {
  const params: Record<string, unknown> = {};
  for (const [key, value] of query) params[key] = value;
  const files = new Map<string, UploadedFile>();
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();

  if (body.length === 0) return { params, files };

  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BodyError(400, "Bad Request: can't parse JSON object");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new BodyError(400, "Bad Request: JSON object expected");
    }
    Object.assign(params, parsed);
  } else if (type === "application/x-www-form-urlencoded") {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = value;
  } else if (type === "multipart/form-data") {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
    const value = boundary?.[1] ?? boundary?.[2];
    if (!value) throw new BodyError(400, "Bad Request: multipart boundary is missing");
    for (const part of parseMultipart(body, value)) {
      if (part.fileName !== undefined) {
        files.set(part.name, {
          field: part.name,
          fileName: part.fileName,
          contentType: part.contentType ?? "application/octet-stream",
          data: part.data,
        });
      } else {
        params[part.name] = part.data.toString("utf8");
      }
    }
  }
  // Unknown content types: only query-string parameters are used (as Telegram does).
  return { params, files };
}

interface MultipartPart {
  name: string;
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal RFC 7578 parser, tolerant of grammY's compact header style. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw new BodyError(400, "Bad Request: can't parse multipart/form-data body");
  for (;;) {
    pos += delimiter.length;
    // "--" after the delimiter ends the body
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    // skip transport padding and CRLF
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else if (body[pos] === 0x0a) pos += 1;
    const next = body.indexOf(delimiter, pos);
    if (next === -1) throw new BodyError(400, "Bad Request: can't parse multipart/form-data body");
    // the part ends with CRLF before the next delimiter
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    else if (body[end - 1] === 0x0a) end -= 1;
    const part = body.subarray(pos, end);
    let headerEnd = part.indexOf("\r\n\r\n");
    let separatorLength = 4;
    if (headerEnd === -1) {
      headerEnd = part.indexOf("\n\n");
      separatorLength = 2;
    }
    if (headerEnd === -1) throw new BodyError(400, "Bad Request: can't parse multipart/form-data part headers");
    const headers = part.subarray(0, headerEnd).toString("utf8").split(/\r?\n/);
    const data = Buffer.from(part.subarray(headerEnd + separatorLength));
    let name: string | undefined;
    let fileName: string | undefined;
    let contentType: string | undefined;
    for (const line of headers) {
      const colon = line.indexOf(":");
      if (colon === -1) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "content-type") contentType = value;
      if (key !== "content-disposition") continue;
      name = dispositionParam(value, "name");
      const star = dispositionParam(value, "filename*");
      if (star !== undefined) {
        const m = /^[^']*'[^']*'(.*)$/.exec(star);
        try {
          fileName = decodeURIComponent(m ? m[1]! : star);
        } catch {
          fileName = star;
        }
      } else {
        fileName = dispositionParam(value, "filename");
      }
    }
    if (name === undefined) throw new BodyError(400, "Bad Request: multipart part without a name");
    const entry: MultipartPart = { name, data };
    if (fileName !== undefined) entry.fileName = fileName;
    if (contentType !== undefined) entry.contentType = contentType;
    parts.push(entry);
    pos = next;
  }
  return parts;
}

/**
 * Reads a parameter of a content-disposition header. Quoted values may contain
 * escaped quotes; an unquoted `filename` runs to the end of the line (grammY
 * sends `filename=<raw name>` without quotes, so names may contain spaces).
 */
function dispositionParam(header: string, param: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${param.replace("*", "\\*")}\\s*=\\s*`, "i");
  const m = re.exec(header);
  if (!m) return undefined;
  const rest = header.slice(m.index + m[0].length);
  if (rest.startsWith('"')) {
    let value = "";
    for (let k = 1; k < rest.length; k++) {
      const ch = rest[k]!;
      if (ch === "\\" && k + 1 < rest.length) {
        value += rest[++k];
        continue;
      }
      if (ch === '"') break;
      value += ch;
    }
    return value;
  }
  if (param === "filename") return rest.trim();
  const semicolon = rest.indexOf(";");
  return (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim();
}
