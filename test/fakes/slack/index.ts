// Local Slack fakes: the Web API server, signed requests to a Bolt endpoint, and Socket Mode.
export * from "./web-api-fake.ts";
export * from "./signed-requests.ts";
export * from "./socket-mode.ts";
export * from "./workspace.ts";
export { validateBlocks, MAX_BLOCKS_PER_MESSAGE, MAX_SECTION_TEXT } from "./blocks.ts";
export { METHOD_TIERS, TIER_REQUESTS_PER_MINUTE, type RateLimitOption, type RateLimitSettings } from "./rate-limits.ts";
