import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { requireSession, sessionOf } from '../../accounts/authenticate.js';
import { getMembership } from '../../accounts/organisations/organisation-access.js';
import { can } from '../../accounts/organisations/organisation-roles.js';
import type { App, AppContext } from '../../app-context.js';
import { MixgateError } from '../../lib/errors.js';
import { formatAmount } from '../../lib/money.js';
import { exportTransactionsCsv } from '../export-transactions-csv.js';
import { listTransactions, type TransactionFilters } from '../list-transactions.js';
import { readBalanceWithHolds } from '../read-balance.js';
import { type Spend, spendSummary } from '../spend-summary.js';
import type { WalletOwner } from '../system-accounts.js';
import {
  type TTransactionsCsvQuery,
  ZBalanceQuery,
  ZBalanceResponse,
  ZListTransactionsQuery,
  ZSpendQuery,
  ZSpendResponse,
  ZTransactionsCsvQuery,
  ZTransactionsResponse,
} from './billing-routes.types.js';

const tags = ['billing'];

/** The signed-in user's credit: balance, history, CSV export and spend, own or an organisation's. */
export function registerBillingRoutes(app: App, ctx: AppContext): void {
  // Before validation, so an anonymous caller gets 401 whatever the query says.
  const guard = { preValidation: requireSession(ctx) };

  app.get(
    '/api/billing/balance',
    { ...guard, schema: { tags, querystring: ZBalanceQuery, response: { 200: ZBalanceResponse } } },
    async (request) => {
      const owner = await billingWallet(ctx, request, request.query.organisationId);
      const wallet = await readBalanceWithHolds(ctx.db, owner);
      return {
        currency: ctx.config.CURRENCY,
        balance: formatAmount(wallet.balance),
        held: formatAmount(wallet.held),
        available: formatAmount(wallet.available),
        openHoldCount: wallet.openHolds,
        openHolds: wallet.holds.map((hold) => ({
          id: hold.id,
          amount: formatAmount(hold.amount),
          model: hold.model,
          createdAt: hold.createdAt.toISOString(),
          expiresAt: hold.expiresAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/billing/transactions',
    {
      ...guard,
      schema: { tags, querystring: ZListTransactionsQuery, response: { 200: ZTransactionsResponse } },
    },
    async (request) => {
      const { cursor, limit, ...query } = request.query;
      const owner = await billingWallet(ctx, request, query.organisationId);
      return listTransactions(ctx.db, owner, { ...transactionFilters(query), cursor, limit });
    },
  );

  app.get(
    '/api/billing/transactions.csv',
    { ...guard, schema: { tags, querystring: ZTransactionsCsvQuery } },
    async (request, reply) => {
      const owner = await billingWallet(ctx, request, request.query.organisationId);
      const rows = exportTransactionsCsv(
        ctx.db,
        owner,
        transactionFilters(request.query),
        ctx.config.CURRENCY,
      );
      const filename = `mixgate-transactions-${ctx.now().toISOString().slice(0, 10)}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(rows));
    },
  );

  app.get(
    '/api/billing/spend',
    { ...guard, schema: { tags, querystring: ZSpendQuery, response: { 200: ZSpendResponse } } },
    async (request) => {
      const { organisationId, from, to } = request.query;
      const owner = await billingWallet(ctx, request, organisationId);
      const summary = await spendSummary(ctx.db, owner, { from, to });
      return {
        currency: ctx.config.CURRENCY,
        from: summary.from.toISOString(),
        to: summary.to.toISOString(),
        total: spendJson(summary.total),
        days: summary.days.map((day) => ({
          date: day.date,
          ...spendJson(day),
          models: day.models.map((model) => ({ model: model.model, ...spendJson(model) })),
          apiKeys: day.apiKeys.map((key) => ({ apiKeyId: key.apiKeyId, ...spendJson(key) })),
        })),
        models: summary.models.map((model) => ({ model: model.model, ...spendJson(model) })),
        apiKeys: summary.apiKeys.map((key) => ({
          apiKeyId: key.apiKeyId,
          name: key.name,
          prefix: key.prefix,
          revoked: key.revoked,
          ...spendJson(key),
        })),
      };
    },
  );
}

/**
 * The wallet a billing request reads: the caller's own, or an organisation's shared wallet for
 * members whose role has the view_billing permission (owner, admin and billing; not member).
 * Outsiders get the same 403 whether or not the organisation exists, so they learn nothing.
 */
async function billingWallet(
  ctx: AppContext,
  request: FastifyRequest,
  organisationId: string | undefined,
): Promise<WalletOwner> {
  const userId = sessionOf(request).userId;
  if (organisationId === undefined) return { userId };
  const membership = await getMembership(ctx.db, organisationId, userId);
  if (!membership || !can(membership.role, 'view_billing')) {
    throw new MixgateError('forbidden', "You may not view this organisation's billing");
  }
  return { organisationId };
}

function transactionFilters(query: Omit<TTransactionsCsvQuery, 'organisationId'>): TransactionFilters {
  return {
    kinds: query.kind,
    from: query.from,
    to: query.to,
    model: query.model,
    apiKeyId: query.apiKeyId,
    direction: query.direction,
  };
}

function spendJson(spend: Spend): { amount: string; requests: number } {
  return { amount: formatAmount(spend.amount), requests: spend.requests };
}
