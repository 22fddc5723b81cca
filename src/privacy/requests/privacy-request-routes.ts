import { sendMailSafely } from '../../accounts/account-mails.js';
import { clearSessionCookie, requireSession, sessionOf } from '../../accounts/authenticate.js';
import { enforceRateLimit } from '../../accounts/rate-limit.js';
import { requestMeta } from '../../accounts/request-meta.js';
import type { App, AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { requireStaff } from '../../console/require-staff.js';
import { MixgateError } from '../../lib/errors.js';
import { readExport } from './build-export.js';
import { confirmRequest } from './confirm-request.js';
import { createOwnRequest, createStaffRequest } from './create-request.js';
import { receiptPdf } from './deletion-receipt.js';
import {
  findStaffRequest,
  listAllRequests,
  listOwnRequests,
  ownRequestView,
  staffRequestView,
} from './list-requests.js';
import { confirmRequestMail } from './privacy-request-mails.js';
import {
  ZConfirmRequestBody,
  ZCreateOwnRequestBody,
  ZCreateStaffRequestBody,
  ZOwnRequestReply,
  ZOwnRequestsReply,
  ZRequestParams,
  ZResolveRequestBody,
  ZStaffRequestReply,
  ZStaffRequestsQuery,
  ZStaffRequestsReply,
} from './privacy-request-routes.types.js';
import type { PrivacyRequestType } from './request-kinds.js';
import { type Resolution, resolveRequest } from './resolve-request.js';

const HOUR = 3600_000;
/** Each request checks the password: a stolen session must not be able to guess it here at leisure. */
const REQUESTS_PER_USER_HOUR = 5;

/**
 * Privacy requests (GDPR Art. 15–21): the account holder's own (with their password), the link
 * that confirms a request staff entered, the export download; and the staff's list, entry and
 * closing of requests, with the deletion receipts.
 */
export function registerPrivacyRequestRoutes(app: App, ctx: AppContext): void {
  const tags = ['privacy'];
  const guard = { preHandler: requireSession(ctx) };

  app.post(
    '/api/privacy/requests',
    { ...guard, schema: { tags, body: ZCreateOwnRequestBody, response: { 201: ZOwnRequestReply } } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      await enforceRateLimit(ctx, `privacy-request:user:${userId}`, REQUESTS_PER_USER_HOUR, HOUR);
      const created = await createOwnRequest(ctx, userId, request.body, requestMeta(request));
      // An erasure ended every session of the account, this one too.
      if (created.type === 'erasure') clearSessionCookie(reply, ctx);
      return reply.status(201).send({ request: ownRequestView(created, ctx.now()) });
    },
  );

  app.get(
    '/api/privacy/requests',
    { ...guard, schema: { tags, response: { 200: ZOwnRequestsReply } } },
    async (request) => {
      const now = ctx.now();
      const requests = await listOwnRequests(ctx.db, sessionOf(request).userId);
      return { requests: requests.map((item) => ownRequestView(item, now)) };
    },
  );

  app.get(
    '/api/privacy/requests/:id/export',
    { ...guard, schema: { tags, params: ZRequestParams } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const archive = await readExport(ctx, userId, request.params.id);
      await recordSecurityEvent(ctx.db, {
        type: 'data_export_downloaded',
        userId,
        actorId: userId,
        ...requestMeta(request),
        occurredAt: ctx.now(),
        details: { requestId: request.params.id },
      });
      return reply
        .type('application/zip')
        .header(
          'content-disposition',
          `attachment; filename="my-data-${ctx.now().toISOString().slice(0, 10)}.zip"`,
        )
        .header('cache-control', 'no-store')
        .send(archive);
    },
  );

  app.post(
    '/api/privacy/requests/confirm',
    { schema: { tags, body: ZConfirmRequestBody, response: { 200: ZOwnRequestReply } } },
    async (request) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `privacy-confirm:ip:${meta.ip}`, ctx.config.RESET_LIMIT_PER_IP_HOUR, HOUR);
      const confirmed = await confirmRequest(ctx, request.body.token, meta);
      return { request: ownRequestView(confirmed, ctx.now()) };
    },
  );

  registerStaffRoutes(app, ctx);
}

function registerStaffRoutes(app: App, ctx: AppContext): void {
  const tags = ['console', 'privacy'];
  const staff = { preHandler: requireStaff(ctx, 'privacy.requests.manage') };
  const viewOf = async (requestId: string) => {
    const row = await findStaffRequest(ctx.db, requestId);
    if (!row) throw new MixgateError('not_found', 'No such privacy request');
    return staffRequestView(row, ctx.now());
  };

  app.get(
    '/api/console/privacy-requests',
    { ...staff, schema: { tags, querystring: ZStaffRequestsQuery, response: { 200: ZStaffRequestsReply } } },
    async (request) => {
      const now = ctx.now();
      const { status, open, overdue, limit } = request.query;
      const rows = await listAllRequests(ctx.db, {
        status,
        open: open === 'true',
        overdue: overdue === 'true',
        now,
        limit,
      });
      return { requests: rows.map((row) => staffRequestView(row, now)) };
    },
  );

  app.post(
    '/api/console/privacy-requests',
    { ...staff, schema: { tags, body: ZCreateStaffRequestBody, response: { 201: ZStaffRequestReply } } },
    async (request, reply) => {
      const {
        request: created,
        email,
        token,
      } = await createStaffRequest(ctx, sessionOf(request).user.id, request.body, requestMeta(request));
      await sendMailSafely(
        ctx,
        confirmRequestMail(
          ctx,
          email,
          created.type as PrivacyRequestType,
          token,
          created.verificationExpiresAt!,
        ),
        request.log,
      );
      return reply.status(201).send({ request: await viewOf(created.id) });
    },
  );

  for (const [action, resolution] of [
    ['complete', 'completed'],
    ['reject', 'rejected'],
  ] as const satisfies ReadonlyArray<readonly [string, Resolution]>) {
    app.post(
      `/api/console/privacy-requests/:id/${action}`,
      {
        ...staff,
        schema: {
          tags,
          params: ZRequestParams,
          body: ZResolveRequestBody,
          response: { 200: ZStaffRequestReply },
        },
      },
      async (request) => {
        await resolveRequest(ctx, {
          requestId: request.params.id,
          staffId: sessionOf(request).user.id,
          resolution,
          reason: request.body.reason,
          meta: requestMeta(request),
        });
        return { request: await viewOf(request.params.id) };
      },
    );
  }

  app.get(
    '/api/console/privacy-requests/:id/receipt',
    { ...staff, schema: { tags, params: ZRequestParams } },
    async (request, reply) => {
      const row = await findStaffRequest(ctx.db, request.params.id);
      const found = row?.request;
      if (found?.type !== 'erasure' || found.status !== 'completed' || !found.receipt || !found.completedAt) {
        throw new MixgateError('not_found', 'No deletion receipt for this request');
      }
      const pdf = await receiptPdf(ctx.config, found, found.receipt, found.completedAt);
      await recordSecurityEvent(ctx.db, {
        type: 'deletion_receipt_downloaded',
        userId: found.userId,
        actorId: sessionOf(request).user.id,
        ...requestMeta(request),
        occurredAt: ctx.now(),
        details: { requestId: found.id },
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="deletion-receipt-${found.id}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
}
