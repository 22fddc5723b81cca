/**
 * Consent (GDPR Art. 7): the choices in effect, recording a choice, and a signed-in user's own
 * history. Visitors who are not signed in choose too (the banner shows on the log-in page), under a
 * random id their browser keeps; a signed-in user's choice needs the session's CSRF token.
 */
import type { FastifyRequest } from 'fastify';
import { requireSession, SESSION_COOKIE, sessionOf } from '../../accounts/authenticate.js';
import { enforceRateLimit } from '../../accounts/rate-limit.js';
import { requestMeta } from '../../accounts/request-meta.js';
import type { App, AppContext } from '../../app-context.js';
import { isMixgateError, MixgateError } from '../../lib/errors.js';
import { getCurrentDocument } from '../legal/current-documents.js';
import type { ConsentSource } from './consent-purposes.js';
import {
  type ConsentOwner,
  type CurrentConsent,
  consentHistory,
  currentConsent,
  recordConsent,
} from './consent-records.js';
import {
  ZConsentHistoryReply,
  ZConsentQuery,
  ZConsentReply,
  ZRecordConsentBody,
} from './consent-routes.types.js';

const HOUR = 3600_000;
/** Choices per IP address per hour: far more than people click, few enough to keep the table small. */
const CHOICES_PER_IP_HOUR = 120;

export function registerConsentRoutes(app: App, ctx: AppContext): void {
  const tags = ['privacy'];
  const scriptUrl = ctx.config.ANALYTICS_SCRIPT_URL ?? null;

  const reply = async (choices: CurrentConsent, gpc: boolean) => {
    const policy = await getCurrentDocument(ctx.db, 'privacy', undefined, ctx.now());
    const decision = choices.analytics;
    return {
      purposes: {
        analytics: {
          available: scriptUrl !== null,
          granted: scriptUrl !== null && !gpc && decision?.granted === true,
          decision: decision && { ...decision, decidedAt: decision.decidedAt.toISOString() },
        },
      },
      analyticsScriptUrl: scriptUrl,
      policyVersion: policy?.version ?? null,
      globalPrivacyControl: gpc,
    };
  };

  /** The signed-in user when the request carries a valid session; a stale cookie counts as none. */
  const ownerOf = async (request: FastifyRequest, visitorId: string | undefined): Promise<ConsentOwner> => {
    if (request.cookies[SESSION_COOKIE]) {
      try {
        await requireSession(ctx)(request);
        return { userId: sessionOf(request).userId, visitorId: visitorId ?? null };
      } catch (error) {
        // A wrong CSRF token is refused; only a missing or ended session falls back to the visitor.
        if (!(isMixgateError(error) && error.code === 'unauthenticated')) throw error;
      }
    }
    return { userId: null, visitorId: visitorId ?? null };
  };

  app.get(
    '/api/privacy/consent',
    { schema: { tags, querystring: ZConsentQuery, response: { 200: ZConsentReply } } },
    async (request, response) => {
      response.header('cache-control', 'no-store');
      const owner = await ownerOf(request, request.query.visitorId);
      return reply(await currentConsent(ctx.db, owner), globalPrivacyControl(request));
    },
  );

  app.post(
    '/api/privacy/consent',
    { schema: { tags, body: ZRecordConsentBody, response: { 200: ZConsentReply } } },
    async (request) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `consent:ip:${meta.ip}`, CHOICES_PER_IP_HOUR, HOUR);
      const owner = await ownerOf(request, request.body.visitorId);
      if (owner.userId === null && owner.visitorId === null) {
        throw new MixgateError('invalid_request', 'Sign in, or send the visitorId this browser keeps');
      }
      // A grant must be informed: with no analytics here, there is nothing it could be about, and
      // it must not switch on a script the operator configures later.
      if (request.body.purposes.analytics === true && scriptUrl === null) {
        throw new MixgateError('conflict', 'This instance uses no analytics: there is nothing to consent to');
      }
      const gpc = globalPrivacyControl(request);
      const choices = await recordConsent(ctx.db, {
        owner,
        choices: request.body.purposes,
        source: request.body.source,
        globalPrivacyControl: gpc,
        meta,
        at: ctx.now(),
      });
      return reply(choices, gpc);
    },
  );

  app.get(
    '/api/privacy/consent/history',
    { preHandler: requireSession(ctx), schema: { tags, response: { 200: ZConsentHistoryReply } } },
    async (request, response) => {
      response.header('cache-control', 'no-store');
      const records = await consentHistory(ctx.db, sessionOf(request).userId);
      return {
        records: records.map((record) => ({
          purpose: record.purpose,
          granted: record.granted,
          source: record.source as ConsentSource,
          policyVersion: record.policyVersion,
          decidedAt: record.createdAt.toISOString(),
          visitorId: record.visitorId,
        })),
      };
    },
  );
}

/** https://privacycg.github.io/gpc-spec/: the header's only defined value is "1". */
function globalPrivacyControl(request: FastifyRequest): boolean {
  return request.headers['sec-gpc'] === '1';
}
