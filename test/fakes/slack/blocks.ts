// Block Kit checks that chat.postMessage / chat.postEphemeral / chat.update apply before accepting
// `blocks` (limits from https://api.slack.com/reference/block-kit/blocks). Slack answers a violation
// with `invalid_blocks`, listing each problem with a JSON pointer, e.g.
//   {"ok":false,"error":"invalid_blocks","errors":["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
//    "response_metadata":{"messages":["[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]}}
// Only the commonly hit limits are checked; anything unrecognised is accepted.

export const MAX_BLOCKS_PER_MESSAGE = 50;
export const MAX_SECTION_TEXT = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_TEXT = 2000;
export const MAX_HEADER_TEXT = 150;
export const MAX_CONTEXT_ELEMENTS = 10;
export const MAX_ACTIONS_ELEMENTS = 25;
export const MAX_MARKDOWN_BLOCK_TEXT = 12000;
export const MAX_BLOCK_ID = 255;

const KNOWN_BLOCK_TYPES = new Set([
  "actions",
  "context",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "table",
  "video",
  "context_actions",
]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const charCount = (text: string) => [...text].length;

function checkTextObject(value: unknown, pointer: string, max: number, errors: string[], plainOnly = false): void {
  if (!isObject(value)) {
    errors.push(`must provide an object [json-pointer:${pointer}]`);
    return;
  }
  const type = value.type;
  if (type !== "plain_text" && type !== "mrkdwn") {
    errors.push(`must be one of the following: plain_text, mrkdwn [json-pointer:${pointer}/type]`);
  } else if (plainOnly && type !== "plain_text") {
    errors.push(`must be plain_text [json-pointer:${pointer}/type]`);
  }
  if (typeof value.text !== "string") {
    errors.push(`must provide a string [json-pointer:${pointer}/text]`);
    return;
  }
  const length = charCount(value.text);
  if (length < 1) errors.push(`must be more than 0 characters [json-pointer:${pointer}/text]`);
  if (length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
}

/** Returns the list of problems (empty when the blocks are acceptable). */
export function validateBlocks(blocks: unknown[]): string[] {
  const errors: string[] = [];
  if (blocks.length > MAX_BLOCKS_PER_MESSAGE) {
    errors.push(`no more than ${MAX_BLOCKS_PER_MESSAGE} items allowed [json-pointer:/blocks]`);
  }
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const pointer = `/blocks/${index}`;
    if (!isObject(block)) {
      errors.push(`must provide an object [json-pointer:${pointer}]`);
      return;
    }
    const type = block.type;
    if (typeof type !== "string" || !KNOWN_BLOCK_TYPES.has(type)) {
      errors.push(`unsupported type: ${String(type)} [json-pointer:${pointer}/type]`);
      return;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== "string" || charCount(block.block_id) > MAX_BLOCK_ID) {
        errors.push(`must be less than ${MAX_BLOCK_ID + 1} characters [json-pointer:${pointer}/block_id]`);
      } else if (blockIds.has(block.block_id)) {
        errors.push(`duplicate block_id: ${block.block_id} [json-pointer:${pointer}/block_id]`);
      } else {
        blockIds.add(block.block_id);
      }
    }
    switch (type) {
      case "section": {
        if (block.text === undefined && block.fields === undefined) {
          errors.push(`must provide either text or fields [json-pointer:${pointer}]`);
        }
        if (block.text !== undefined) checkTextObject(block.text, `${pointer}/text`, MAX_SECTION_TEXT, errors);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields)) {
            errors.push(`must provide an array [json-pointer:${pointer}/fields]`);
          } else {
            if (block.fields.length > MAX_SECTION_FIELDS) {
              errors.push(`no more than ${MAX_SECTION_FIELDS} items allowed [json-pointer:${pointer}/fields]`);
            }
            block.fields.forEach((field, i) => checkTextObject(field, `${pointer}/fields/${i}`, MAX_SECTION_FIELD_TEXT, errors));
          }
        }
        break;
      }
      case "header":
        checkTextObject(block.text, `${pointer}/text`, MAX_HEADER_TEXT, errors, true);
        break;
      case "context":
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          errors.push(`must provide a non-empty array [json-pointer:${pointer}/elements]`);
        } else if (block.elements.length > MAX_CONTEXT_ELEMENTS) {
          errors.push(`no more than ${MAX_CONTEXT_ELEMENTS} items allowed [json-pointer:${pointer}/elements]`);
        }
        break;
      case "actions":
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          errors.push(`must provide a non-empty array [json-pointer:${pointer}/elements]`);
        } else if (block.elements.length > MAX_ACTIONS_ELEMENTS) {
          errors.push(`no more than ${MAX_ACTIONS_ELEMENTS} items allowed [json-pointer:${pointer}/elements]`);
        }
        break;
      case "markdown":
        if (typeof block.text !== "string") {
          errors.push(`must provide a string [json-pointer:${pointer}/text]`);
        } else if (charCount(block.text) > MAX_MARKDOWN_BLOCK_TEXT) {
          errors.push(`must be less than ${MAX_MARKDOWN_BLOCK_TEXT + 1} characters [json-pointer:${pointer}/text]`);
        }
        break;
      default:
        break;
    }
  });
  return errors;
}
