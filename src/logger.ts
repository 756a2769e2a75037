// Structured logs (pino). Secrets are redacted by key wherever they appear in a logged object.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ["token", "*.token", "*.*.token", "authorization", "*.authorization", "secret", "*.secret", "password", "*.password"],
        censor: "[redacted]",
      },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
