// Who may see the dashboard. /dashboard hands a coordinator or facilitator a one-time sign-in
// link; using it within 10 minutes starts a browser session of 12 hours. Tokens are 32 random
// bytes; the database keeps only their SHA-256, so every process sharing it accepts them and a
// leaked copy of the database signs nobody in. Time comes from the injected clock.
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { Member, PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { chooseLocale, type Locale } from "../i18n/i18n.ts";

export const LINK_LIFETIME_MS = 10 * 60_000;
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

/** A signed-in viewer, checked again on every request (a revoked role ends what they can see). */
export interface Viewer {
  member: Member;
  role: Extract<Role, "coordinator" | "facilitator">;
  locale: Locale;
  timezone: string;
  sessionExpiresAt: Date;
}

export type SignIn = { ok: true; sessionToken: string; expiresAt: Date } | { ok: false; reason: "invalid" | "expired" | "not-allowed" };

export class DashboardAccess {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    /** The caller's role as the pipeline sees it (configured coordinators included). */
    private readonly effectiveRole: (member: Member) => Role,
    /** The dashboard's public address (DASHBOARD_URL, else this process's own port). */
    private readonly baseUrl: () => string,
  ) {}

  /** A new sign-in link for `member`, whose pages will be in `locale` and `timezone`. */
  async createLink(member: Member, locale: Locale, timezone: string): Promise<{ url: string; token: string; expiresAt: Date }> {
    const token = newToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS);
    // Links nobody used are of no use to anyone: clear them out while we are here.
    await this.db.dashboardLink.deleteMany({ where: { expiresAt: { lte: now } } });
    await this.db.dashboardLink.create({ data: { tokenHash: hashToken(token), memberId: member.id, locale, timezone, expiresAt } });
    return { url: `${this.baseUrl()}/dashboard/signin?token=${token}`, token, expiresAt };
  }

  /**
   * Uses a link once: of two browsers (or processes) presenting it at the same moment, only the
   * one whose delete removed the row gets a session.
   */
  async signIn(linkToken: string): Promise<SignIn> {
    const link = await this.db.dashboardLink.findUnique({ where: { tokenHash: hashToken(linkToken) }, include: { member: true } });
    if (!link) return { ok: false, reason: "invalid" };
    const { count } = await this.db.dashboardLink.deleteMany({ where: { id: link.id } });
    if (count !== 1) return { ok: false, reason: "invalid" };
    const now = this.clock.now();
    if (link.expiresAt <= now) return { ok: false, reason: "expired" };
    if (!isDashboardRole(this.effectiveRole(link.member))) return { ok: false, reason: "not-allowed" };
    const sessionToken = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await this.db.dashboardSession.deleteMany({ where: { expiresAt: { lte: now } } });
    await this.db.dashboardSession.create({
      data: { tokenHash: hashToken(sessionToken), memberId: link.memberId, locale: link.locale, timezone: link.timezone, expiresAt },
    });
    return { ok: true, sessionToken, expiresAt };
  }

  /** The viewer behind a session cookie, or undefined (unknown, expired, or no longer allowed). */
  async viewer(sessionToken: string | undefined): Promise<Viewer | undefined> {
    if (!sessionToken) return undefined;
    const session = await this.db.dashboardSession.findUnique({ where: { tokenHash: hashToken(sessionToken) }, include: { member: true } });
    if (!session || session.expiresAt <= this.clock.now()) return undefined;
    const role = this.effectiveRole(session.member);
    if (!isDashboardRole(role)) return undefined;
    return { member: session.member, role, locale: chooseLocale(session.locale), timezone: session.timezone, sessionExpiresAt: session.expiresAt };
  }

  async signOut(sessionToken: string | undefined): Promise<void> {
    if (sessionToken) await this.db.dashboardSession.deleteMany({ where: { tokenHash: hashToken(sessionToken) } });
  }
}

export function isDashboardRole(role: Role): role is Viewer["role"] {
  return role === "coordinator" || role === "facilitator";
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
