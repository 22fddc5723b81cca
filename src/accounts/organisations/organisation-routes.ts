import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import { ZSpendLimitPeriod } from '../../ledger/spend-periods.js';
import { isAmountText, parseAmount } from '../../lib/money.js';
import { sendMailSafely } from '../account-mails.js';
import { ZEmail, ZToken } from '../account-schemas.js';
import { requireSession, sessionOf } from '../authenticate.js';
import { requestMeta } from '../request-meta.js';
import { contentDeletedAfter } from '../termination/grace-period.js';
import { acceptInvitation, createInvitation, revokeInvitation } from './invitations.js';
import type { OrganisationActor } from './organisation-access.js';
import { invitationMail } from './organisation-mails.js';
import { ORGANISATION_ROLES } from './organisation-roles.js';
import {
  createOrganisation,
  formatSpendLimit,
  getOrganisationDetails,
  listMyOrganisations,
  removeMember,
  transferOwnership,
  updateMember,
} from './organisations.js';

const AUTHORITY_MESSAGE = 'You must confirm that you have authority to bind the organisation';

export const ZCreateOrganisationBody = z.strictObject({
  // Control characters would let a name forge lines in the invitation e-mails that quote it.
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\p{Cc}]+$/u, { error: 'A name cannot hold control characters' }),
  confirmAuthority: z.literal(true, { error: AUTHORITY_MESSAGE }),
});

export const ZInvitationBody = z.strictObject({ email: ZEmail, role: z.enum(ORGANISATION_ROLES) });

export const ZAcceptInvitationBody = z.strictObject({ token: ZToken });

export const ZUpdateMemberBody = z
  .strictObject({
    role: z.enum(ORGANISATION_ROLES).optional(),
    spendLimit: z
      .string()
      // Zod runs every refinement, so parsing must not be reached when the text is not an amount.
      .refine((text) => isAmountText(text) && parseAmount(text) >= 0n, {
        error: 'A non-negative amount like "25" or "12.50"',
      })
      .nullable()
      .optional(),
    /** day, week, month or total: when the spend limit starts again, in UTC. */
    spendLimitPeriod: ZSpendLimitPeriod.optional(),
  })
  .refine(
    (body) => body.role !== undefined || body.spendLimit !== undefined || body.spendLimitPeriod !== undefined,
    { error: 'Give a role, a spendLimit, a spendLimitPeriod or several' },
  );

export const ZTransferOwnershipBody = z.strictObject({ userId: z.uuid() });

const ZOrganisationParams = z.object({ id: z.uuid() });
const ZMemberParams = z.object({ id: z.uuid(), userId: z.uuid() });
const ZInvitationParams = z.object({ id: z.uuid(), invitationId: z.uuid() });

const tags = ['organisations'];

export function registerOrganisationRoutes(app: App, ctx: AppContext): void {
  const guard = { preHandler: requireSession(ctx) };
  const actorOf = (request: FastifyRequest): OrganisationActor => ({
    userId: sessionOf(request).userId,
    meta: requestMeta(request),
    now: ctx.now(),
  });

  app.post(
    '/api/organisations',
    { ...guard, schema: { tags, body: ZCreateOrganisationBody } },
    async (request, reply) => {
      const organisation = await createOrganisation(ctx.db, actorOf(request), {
        name: request.body.name,
        authorityConfirmed: request.body.confirmAuthority,
      });
      return reply.status(201).send({
        id: organisation.id,
        name: organisation.name,
        role: 'owner',
        authorityConfirmedAt: organisation.authorityConfirmedAt.toISOString(),
        createdAt: organisation.createdAt.toISOString(),
      });
    },
  );

  app.get('/api/organisations', { ...guard, schema: { tags } }, async (request) => {
    const rows = await listMyOrganisations(ctx.db, sessionOf(request).userId);
    return {
      data: rows.map((row) => ({
        id: row.id,
        name: row.name,
        role: row.role,
        spendLimit: formatSpendLimit(row.spendLimitMicros),
        spendLimitPeriod: row.spendLimitPeriod,
        joinedAt: row.joinedAt.toISOString(),
        createdAt: row.createdAt.toISOString(),
      })),
    };
  });

  app.post(
    '/api/organisations/invitations/accept',
    { ...guard, schema: { tags, body: ZAcceptInvitationBody } },
    async (request) => {
      const principal = sessionOf(request);
      const joined = await acceptInvitation(
        ctx.db,
        { userId: principal.userId, email: principal.user.email },
        request.body.token,
        requestMeta(request),
        ctx.now(),
      );
      return { status: 'joined', organisationId: joined.organisationId, role: joined.role };
    },
  );

  app.get(
    '/api/organisations/:id',
    { ...guard, schema: { tags, params: ZOrganisationParams } },
    async (request) => {
      const details = await getOrganisationDetails(
        ctx.db,
        request.params.id,
        sessionOf(request).userId,
        ctx.now(),
      );
      return {
        id: details.organisation.id,
        name: details.organisation.name,
        role: details.role,
        createdBy: details.organisation.createdBy,
        authorityConfirmedAt: details.organisation.authorityConfirmedAt.toISOString(),
        createdAt: details.organisation.createdAt.toISOString(),
        // Members still see a closed organisation until its content is deleted: the page says so.
        status: details.organisation.status,
        closedAt: details.organisation.closedAt?.toISOString() ?? null,
        contentDeletedAfter: details.organisation.closedAt
          ? contentDeletedAfter(details.organisation.closedAt, ctx.config).toISOString()
          : null,
        members: details.members.map((member) => ({
          userId: member.userId,
          username: member.username,
          email: member.email,
          role: member.role,
          spendLimit: formatSpendLimit(member.spendLimitMicros),
          spendLimitPeriod: member.spendLimitPeriod,
          addedBy: member.addedBy,
          joinedAt: member.joinedAt.toISOString(),
        })),
        invitations:
          details.invitations?.map((invitation) => ({
            id: invitation.id,
            email: invitation.email,
            role: invitation.role,
            invitedBy: invitation.invitedBy,
            createdAt: invitation.createdAt.toISOString(),
            expiresAt: invitation.expiresAt.toISOString(),
          })) ?? null,
      };
    },
  );

  app.post(
    '/api/organisations/:id/invitations',
    { ...guard, schema: { tags, params: ZOrganisationParams, body: ZInvitationBody } },
    async (request, reply) => {
      const invitation = await createInvitation(ctx.db, actorOf(request), request.params.id, request.body);
      await sendMailSafely(
        ctx,
        invitationMail(ctx, invitation.email, {
          organisationName: invitation.organisationName,
          inviterUsername: sessionOf(request).user.username,
          role: invitation.role,
          token: invitation.token,
        }),
        request.log,
      );
      return reply.status(201).send({
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        expiresAt: invitation.expiresAt.toISOString(),
      });
    },
  );

  app.delete(
    '/api/organisations/:id/invitations/:invitationId',
    { ...guard, schema: { tags, params: ZInvitationParams } },
    async (request) => {
      await revokeInvitation(ctx.db, actorOf(request), request.params.id, request.params.invitationId);
      return { status: 'revoked' };
    },
  );

  app.patch(
    '/api/organisations/:id/members/:userId',
    { ...guard, schema: { tags, params: ZMemberParams, body: ZUpdateMemberBody } },
    async (request) => {
      const { spendLimit } = request.body;
      const member = await updateMember(ctx.db, actorOf(request), request.params.id, request.params.userId, {
        role: request.body.role,
        spendLimitMicros:
          spendLimit === undefined ? undefined : spendLimit === null ? null : parseAmount(spendLimit),
        spendLimitPeriod: request.body.spendLimitPeriod,
      });
      return {
        userId: member.userId,
        role: member.role,
        spendLimit: formatSpendLimit(member.spendLimitMicros),
        spendLimitPeriod: member.spendLimitPeriod,
      };
    },
  );

  app.delete(
    '/api/organisations/:id/members/:userId',
    { ...guard, schema: { tags, params: ZMemberParams } },
    async (request) => {
      const { revokedKeyHashes } = await removeMember(
        ctx.db,
        actorOf(request),
        request.params.id,
        request.params.userId,
      );
      for (const keyHash of revokedKeyHashes) ctx.apiKeyCache.invalidate(keyHash);
      return { status: 'removed', revokedKeys: revokedKeyHashes.length };
    },
  );

  app.post(
    '/api/organisations/:id/transfer-ownership',
    { ...guard, schema: { tags, params: ZOrganisationParams, body: ZTransferOwnershipBody } },
    async (request) => {
      await transferOwnership(ctx.db, actorOf(request), request.params.id, request.body.userId);
      return { status: 'transferred', ownerId: request.body.userId };
    },
  );
}
