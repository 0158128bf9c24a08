import { createHash, randomBytes } from 'node:crypto';
import { ROLES, type Role, type User } from '@chaosgate/shared';
import type { ChangeCache } from '../../db/change-cache';
import { AppError } from '../../errors';
import type { AuditRepository } from '../audit/audit.repo';
import type { AuthRepository } from './auth.repo';
import { verifyPassword } from './passwords';

export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | null;
}

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export function toUserDto(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    roles: row.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
  };
}

/** Only a digest of the cookie's token is stored, so a database leak yields no live sessions. */
export function sessionIdFromToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A live session as the cache keeps it. */
export interface CachedSession {
  user: User;
  expiresAt: Date;
}

export interface AuthServiceDeps {
  repo: AuthRepository;
  audit: AuditRepository;
  sessionTtlMs: number;
  /** Live sessions by id, dropped when sessions or users change (sign-out, a disabled user). */
  sessions: ChangeCache<CachedSession>;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { repo, audit, sessionTtlMs, sessions } = deps;

  return {
    /** Checks a local user's password and opens a session; the token goes into the cookie. */
    async signIn(username: string, password: string, meta: RequestMeta) {
      const user = await repo.findUserByUsername(username);
      const ok = await verifyPassword(user && !user.disabled ? user.passwordHash : null, password);
      if (!user || !ok) {
        await audit.append({
          actor: username,
          action: 'auth.sign_in_failed',
          targetType: 'user',
          targetId: username,
          requestId: meta.requestId,
          details: { ip: meta.ip },
        });
        throw new AppError('CG_AUTH_INVALID_CREDENTIALS', 'wrong username or password');
      }
      const token = randomBytes(32).toString('base64url');
      const now = new Date();
      const expiresAt = new Date(now.getTime() + sessionTtlMs);
      await repo.createSession({
        id: sessionIdFromToken(token),
        userId: user.id,
        expiresAt,
        userAgent: meta.userAgent,
      });
      await repo.recordLogin(user.id, now);
      await audit.append({
        actor: user.username,
        action: 'auth.sign_in',
        targetType: 'user',
        targetId: user.username,
        requestId: meta.requestId,
        details: { ip: meta.ip },
      });
      return { token, expiresAt, user: toUserDto(user) };
    },

    async signOut(token: string, user: User, meta: RequestMeta) {
      await repo.deleteSession(sessionIdFromToken(token));
      // The notification would empty the cache a moment later; this replica must not wait for it.
      sessions.invalidate();
      await audit.append({
        actor: user.username,
        action: 'auth.sign_out',
        targetType: 'user',
        targetId: user.username,
        requestId: meta.requestId,
      });
    },

    /** The user behind a session cookie, or null when it is unknown or expired. */
    async resolveSession(token: string): Promise<User | null> {
      const id = sessionIdFromToken(token);
      const session = await sessions.get(
        id,
        async () => {
          const row = await repo.findLiveSession(id, new Date());
          return row ? { user: toUserDto(row.user), expiresAt: row.expiresAt } : null;
        },
        (s) => s.expiresAt.getTime() - Date.now(),
      );
      return session && session.expiresAt.getTime() > Date.now() ? session.user : null;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
