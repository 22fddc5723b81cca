import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import type { users } from '../db/schema/index.js';
import { constantTimeEqual } from '../lib/crypto.js';
import { MixgateError } from '../lib/errors.js';
import type { ApiKeyRecord } from './api-key-cache.js';
import { findActiveSession, touchSession } from './sessions.js';

export const SESSION_COOKIE = 'mg_session';
export const CSRF_HEADER = 'x-csrf-token';

export type UserRow = typeof users.$inferSelect;

export type Principal =
  | { kind: 'session'; userId: string; sessionId: string; csrfToken: string; user: UserRow }
  | { kind: 'api_key'; userId: string; key: ApiKeyRecord };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * preHandler for routes of the signed-in web user. Every state-changing request must also carry
 * the session's CSRF token in a header: a cross-site form or script cannot read it.
 */
export function requireSession(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = await sessionPrincipal(ctx, request);
    if (!principal) throw new MixgateError('unauthenticated', 'Sign in first');
    checkCsrf(request, principal.csrfToken);
    request.principal = principal;
  };
}

/** preHandler for the /v1 API: an API key (Bearer) or, for the web app, a session with CSRF. */
export function requireApiKeyOrSession(ctx: AppContext, scope: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const bearer = bearerToken(request);
    if (bearer !== undefined) {
      const key = await ctx.apiKeyCache.lookup(bearer);
      if (!key) throw new MixgateError('invalid_api_key', 'Invalid, expired or revoked API key');
      if (!key.scopes.includes(scope)) {
        throw new MixgateError('forbidden', `This API key lacks the "${scope}" scope`);
      }
      request.principal = { kind: 'api_key', userId: key.userId, key };
      return;
    }
    const principal = await sessionPrincipal(ctx, request);
    if (!principal) {
      throw new MixgateError('unauthenticated', 'Missing API key: send "Authorization: Bearer mg-…"');
    }
    checkCsrf(request, principal.csrfToken);
    request.principal = principal;
  };
}

/** Narrows `request.principal` to a session inside handlers guarded by requireSession. */
export function sessionOf(request: FastifyRequest): Extract<Principal, { kind: 'session' }> {
  const principal = request.principal;
  if (principal?.kind !== 'session') throw new MixgateError('unauthenticated', 'Sign in first');
  return principal;
}

async function sessionPrincipal(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<Extract<Principal, { kind: 'session' }> | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 128) return null;
  const now = ctx.now();
  const session = await findActiveSession(ctx.db, token, now);
  if (session?.user.status !== 'active') return null;
  await touchSession(ctx.db, session, now, ctx.config.SESSION_TTL_HOURS);
  return {
    kind: 'session',
    userId: session.user.id,
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
    user: session.user,
  };
}

function checkCsrf(request: FastifyRequest, expected: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !constantTimeEqual(sent, expected)) {
    throw new MixgateError('csrf_failed', `Missing or wrong ${CSRF_HEADER} header`);
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) {
    const apiKey = request.headers['x-api-key'];
    return typeof apiKey === 'string' ? apiKey : undefined;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match)
    throw new MixgateError('invalid_api_key', 'Malformed Authorization header: expected "Bearer <key>"');
  return match[1];
}

export function setSessionCookie(reply: FastifyReply, ctx: AppContext, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https://'),
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, ctx: AppContext): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https://'),
  });
}
