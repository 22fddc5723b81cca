import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { placeHold, postHold } from '../holds.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from '../system-accounts.js';
import { transfer } from '../transfer.js';
import { ensureWallet } from '../wallets.js';

const test = await createTestApp();
const db = test.ctx.db;
test.clock.now = new Date('2026-08-15T09:30:00.000Z');

function get(user: SignedInUser | null, url: string) {
  return test.app.inject({ method: 'GET', url, headers: user ? { cookie: user.cookie } : {} });
}

async function topUp(owner: WalletOwner, amount: bigint, now = test.clock.now) {
  return transfer(db, {
    debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
    creditAccountId: await ensureWallet(db, owner),
    amount,
    kind: 'top_up',
    idempotencyKey: randomUUID(),
    actor: 'system',
    now,
  });
}

async function hold(
  owner: WalletOwner,
  amount: bigint,
  model: string,
  now = test.clock.now,
  apiKeyId?: string,
) {
  const placed = await placeHold(db, {
    wallet: owner,
    amount,
    idempotencyKey: randomUUID(),
    expiresAt: new Date(now.getTime() + 300_000),
    now,
    actor: 'system',
    model,
    apiKeyId,
  });
  return placed.holdId;
}

async function createOrganisation(owner: SignedInUser): Promise<string> {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/organisations',
    headers: owner.headers,
    payload: { name: 'Acme Ltd', confirmAuthority: true },
  });
  expect(response.statusCode).toBe(201);
  return (response.json() as { id: string }).id;
}

async function joinedMember(owner: SignedInUser, organisationId: string, role: string) {
  const user = await signUpAndLogIn(test);
  const invited = await test.app.inject({
    method: 'POST',
    url: `/api/organisations/${organisationId}/invitations`,
    headers: owner.headers,
    payload: { email: user.email, role },
  });
  expect(invited.statusCode).toBe(201);
  const accepted = await test.app.inject({
    method: 'POST',
    url: '/api/organisations/invitations/accept',
    headers: user.headers,
    payload: { token: test.mailbox.lastToken(user.email) },
  });
  expect(accepted.statusCode).toBe(200);
  return user;
}

describe('billing routes', () => {
  it.each([
    '/api/billing/balance',
    '/api/billing/transactions',
    '/api/billing/transactions.csv',
    '/api/billing/spend?from=2026-08-01&to=2026-08-02',
    // Authentication comes first, whatever the query says.
    '/api/billing/transactions?limit=0',
  ])('answers 401 to %s without a session', async (url) => {
    const response = await get(null, url);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { type: 'unauthenticated', message: 'Sign in first' } });
  });

  it('shows balance, held and available credit with the open holds', async () => {
    const user = await signUpAndLogIn(test);
    const empty = await get(user, '/api/billing/balance');
    expect(empty.json()).toEqual({
      currency: 'USD',
      balance: '0.000000',
      held: '0.000000',
      available: '0.000000',
      openHoldCount: 0,
      openHolds: [],
    });

    await topUp({ userId: user.userId }, 10_000_000n);
    await topUp({ userId: user.userId }, 2_500_000n);
    const posted = await hold({ userId: user.userId }, 1_000_000n, 'openai/gpt-4o');
    await postHold(db, posted, 400_000n, test.clock.now);
    const open = await hold({ userId: user.userId }, 3_000_000n, 'anthropic/claude-sonnet');

    const response = await get(user, '/api/billing/balance');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      currency: 'USD',
      balance: '12.100000',
      held: '3.000000',
      available: '9.100000',
      openHoldCount: 1,
      openHolds: [
        {
          id: open,
          amount: '3.000000',
          model: 'anthropic/claude-sonnet',
          createdAt: '2026-08-15T09:30:00.000Z',
          expiresAt: '2026-08-15T09:35:00.000Z',
        },
      ],
    });
  });

  it('lists transactions page by page with filters', async () => {
    const user = await signUpAndLogIn(test);
    const owner = { userId: user.userId };
    await topUp(owner, 5_000_000n, new Date('2026-08-01T00:00:00Z'));
    for (const [minute, model] of [
      [1, 'gpt'],
      [2, 'claude'],
      [3, 'gpt'],
    ] as const) {
      const now = new Date(`2026-08-02T00:0${minute}:00Z`);
      await postHold(db, await hold(owner, 10_000n, model, now), 1_000n * BigInt(minute), now);
    }

    const first = await get(user, '/api/billing/transactions?limit=2');
    expect(first.statusCode).toBe(200);
    const firstPage = first.json() as {
      items: { amount: string; model: string | null }[];
      nextCursor: string;
    };
    expect(firstPage.items.map((item) => item.amount)).toEqual(['-0.003000', '-0.002000']);
    const second = await get(user, `/api/billing/transactions?limit=2&cursor=${firstPage.nextCursor}`);
    expect(second.json()).toEqual({
      items: [
        expect.objectContaining({ kind: 'usage', direction: 'debit', amount: '-0.001000', model: 'gpt' }),
        expect.objectContaining({
          kind: 'top_up',
          direction: 'credit',
          amount: '5.000000',
          createdAt: '2026-08-01T00:00:00.000Z',
          model: null,
          holdId: null,
        }),
      ],
      nextCursor: null,
    });

    const filtered = await get(
      user,
      '/api/billing/transactions?kind=usage&kind=promotion&model=gpt&from=2026-08-02T00:02:00Z&direction=debit',
    );
    expect((filtered.json() as typeof firstPage).items.map((item) => item.amount)).toEqual(['-0.003000']);
    const commaKinds = await get(user, '/api/billing/transactions?kind=top_up,promotion&to=2026-08-02');
    expect((commaKinds.json() as typeof firstPage).items.map((item) => item.amount)).toEqual(['5.000000']);
  });

  it.each([
    ['kind=bogus', 'querystring.kind.0: Invalid option'],
    ['limit=0', 'querystring.limit: Too small'],
    ['limit=201', 'querystring.limit: Too big'],
    ['limit=ten', 'querystring.limit: Invalid input'],
    ['from=yesterday', 'querystring.from: An ISO date like "2026-01-31"'],
    ['from=2026-02-30', 'querystring.from: An ISO date'],
    ['from=2026-08-02&to=2026-08-01', 'querystring.to: "to" must be after "from"'],
    ['direction=sideways', 'querystring.direction: Invalid option'],
    ['apiKeyId=abc', 'querystring.apiKeyId: Invalid UUID'],
    ['organisationId=abc', 'querystring.organisationId: Invalid UUID'],
    ['kinds=usage', 'querystring: Unrecognized key: "kinds"'],
    ['cursor=not-a-cursor', 'cursor: not a cursor of this transaction list'],
  ])('refuses the filter %s with a precise 400', async (query, message) => {
    const user = await signUpAndLogIn(test);
    await topUp({ userId: user.userId }, 1_000_000n);
    const response = await get(user, `/api/billing/transactions?${query}`);
    expect(response.statusCode).toBe(400);
    const body = response.json() as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request');
    expect(body.error.message).toContain(message);
    expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });

  it('exports the transactions as a CSV attachment', async () => {
    const user = await signUpAndLogIn(test);
    const owner = { userId: user.userId };
    await topUp(owner, 2_000_000n, new Date('2026-08-03T10:00:00Z'));
    const now = new Date('2026-08-03T11:00:00Z');
    const usage = await postHold(db, await hold(owner, 5_000n, '@evil', now), 1_250n, now);

    const response = await get(user, '/api/billing/transactions.csv?direction=debit');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="mixgate-transactions-2026-08-15.csv"',
    );
    expect(response.body).toBe(
      'date,kind,direction,amount,currency,model,api_key_id,member_user_id,reason,transfer_id\r\n' +
        `2026-08-03T11:00:00.000Z,usage,debit,-0.001250,USD,'@evil,,,,${usage.transferId}\r\n`,
    );
    const bad = await get(user, '/api/billing/transactions.csv?to=soon');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/json');
  });

  it('summarises spend per day, model and key, with the key names', async () => {
    const user = await signUpAndLogIn(test);
    const owner = { userId: user.userId };
    await topUp(owner, 1_000_000n, new Date('2026-08-01T00:00:00Z'));
    const created = await test.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: user.headers,
      payload: { name: 'build server' },
    });
    const { id: apiKeyId, prefix } = created.json() as { id: string; prefix: string };
    const now = new Date('2026-08-02T08:00:00Z');
    await postHold(db, await hold(owner, 5_000n, 'gpt', now), 1_250n, now);
    await postHold(db, await hold(owner, 5_000n, 'gpt', now, apiKeyId), 2_000n, now);

    const response = await get(user, '/api/billing/spend?from=2026-08-01&to=2026-08-03');
    expect(response.statusCode).toBe(200);
    const gpt = { model: 'gpt', amount: '0.003250', requests: 2 };
    const byKey = { apiKeyId, amount: '0.002000', requests: 1 };
    const webApp = { apiKeyId: null, amount: '0.001250', requests: 1 };
    expect(response.json()).toEqual({
      currency: 'USD',
      from: '2026-08-01T00:00:00.000Z',
      to: '2026-08-03T00:00:00.000Z',
      total: { amount: '0.003250', requests: 2 },
      days: [
        { date: '2026-08-01', amount: '0.000000', requests: 0, models: [], apiKeys: [] },
        { date: '2026-08-02', amount: '0.003250', requests: 2, models: [gpt], apiKeys: [byKey, webApp] },
      ],
      models: [gpt],
      apiKeys: [
        { ...byKey, name: 'build server', prefix, revoked: false },
        { ...webApp, name: null, prefix: null, revoked: false },
      ],
    });

    for (const [query, message] of [
      ['from=2026-08-01', 'querystring.to: Required'],
      ['from=2025-01-01&to=2026-08-01', 'querystring.to: The range may cover at most 367 days'],
      ['from=2026-08-01&to=2026-08-01', 'querystring.to: "to" must be after "from"'],
    ]) {
      const bad = await get(user, `/api/billing/spend?${query}`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain(message);
    }
  });

  it('shows an organisation’s wallet to members who may view its billing, and to nobody else', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    await topUp({ organisationId }, 7_000_000n);
    await hold({ organisationId }, 1_000_000n, 'gpt');
    const billing = await joinedMember(owner, organisationId, 'billing');
    const admin = await joinedMember(owner, organisationId, 'admin');
    const member = await joinedMember(owner, organisationId, 'member');
    const outsider = await signUpAndLogIn(test);
    await topUp({ userId: outsider.userId }, 1_000_000n);

    for (const user of [owner, billing, admin]) {
      const response = await get(user, `/api/billing/balance?organisationId=${organisationId}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ balance: '7.000000', held: '1.000000', available: '6.000000' });
    }
    const transactions = await get(owner, `/api/billing/transactions?organisationId=${organisationId}`);
    expect(transactions.json().items).toEqual([expect.objectContaining({ amount: '7.000000' })]);
    // Without organisationId, the owner sees their own (empty) wallet.
    expect((await get(owner, '/api/billing/balance')).json()).toMatchObject({ balance: '0.000000' });

    for (const path of [
      'balance?',
      'transactions?',
      'transactions.csv?',
      'spend?from=2026-08-01&to=2026-08-02&',
    ]) {
      for (const [user, organisation] of [
        [member, organisationId],
        [outsider, organisationId],
        [outsider, randomUUID()],
      ] as const) {
        const response = await get(user, `/api/billing/${path}organisationId=${organisation}`);
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({
          error: { type: 'forbidden', message: "You may not view this organisation's billing" },
        });
      }
    }
  });

  it('documents the billing routes in the OpenAPI description', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys((response.json() as { paths: object }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/billing/balance',
        '/api/billing/transactions',
        '/api/billing/transactions.csv',
        '/api/billing/spend',
      ]),
    );
  });
});
