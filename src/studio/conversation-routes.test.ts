/**
 * The conversations of the web app: create, list (newest first, paged), search titles and message
 * texts, rename, delete; other users' conversations are invisible; CSRF and input are checked.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { fund, newConversation } from '../../test/studio-test-app.js';
import { createTestApp, type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { conversationMessages, conversations } from '../db/schema/index.js';
import { dataKeyFor } from '../privacy/content-keys.js';
import { sealMessageContent, sealTitle } from './conversation-content.js';
import { listConversations } from './conversations.js';

vi.mock('../app.js', async (importOriginal) =>
  (await import('../../test/studio-test-app.js')).withStudioRoutes(await importOriginal()),
);

const test = await createTestApp();
const db = test.ctx.db;

function request(
  user: SignedInUser | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
) {
  return test.app.inject({
    method,
    url,
    headers: user ? user.headers : {},
    ...(payload === undefined ? {} : { payload }),
  });
}

async function titlesFor(user: SignedInUser, query = ''): Promise<string[]> {
  const response = await request(user, 'GET', `/api/conversations${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { conversations: { title: string }[] }).conversations.map((item) => item.title);
}

async function addMessage(user: SignedInUser, conversationId: string, text: string) {
  const id = randomUUID();
  await db.insert(conversationMessages).values({
    id,
    conversationId,
    parentId: null,
    role: 'user',
    ...sealMessageContent(await dataKeyFor(test.ctx, user.userId), id, { text }),
    status: 'complete',
    createdAt: test.ctx.now(),
  });
}

describe('conversations', () => {
  it('answers 401 without a session', async () => {
    const response = await request(null, 'GET', '/api/conversations');
    expect(response.statusCode).toBe(401);
    expect(response.json().error.type).toBe('unauthenticated');
  });

  it('creates one with the default title, or with a title and a model named by its alias', async () => {
    const user = await signUpAndLogIn(test);
    const plain = await newConversation(test, user);
    expect(plain).toMatchObject({ title: 'New chat', model: null, activeLeafId: null });
    const named = await newConversation(test, user, { title: '  Trip plans ', model: 'gpt-4o-mini' });
    expect(named).toMatchObject({ title: 'Trip plans', model: 'openai/gpt-4o-mini' });
    const read = await request(user, 'GET', `/api/conversations/${named.id}`);
    expect(read.json()).toEqual({ conversation: named, messages: [] });
  });

  it('refuses an unknown model, a non-text model and a blank title, naming the field', async () => {
    const user = await signUpAndLogIn(test);
    const unknown = await request(user, 'POST', '/api/conversations', { model: 'acme/nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.type).toBe('model_not_found');
    const embedding = await request(user, 'POST', '/api/conversations', {
      model: 'openai/text-embedding-3-small',
    });
    expect(embedding.statusCode).toBe(400);
    expect(embedding.json().error.message).toContain('not a text model');
    const blank = await request(user, 'POST', '/api/conversations', { title: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error).toMatchObject({
      type: 'invalid_request',
      message: 'body.title: must not be empty',
    });
    const extra = await request(user, 'POST', '/api/conversations', { titel: 'typo' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('titel');
  });

  it('lists newest activity first, a page at a time', async () => {
    const user = await signUpAndLogIn(test);
    for (const title of ['first', 'second', 'third']) {
      test.clock.advance(1_000);
      await newConversation(test, user, { title });
    }
    const page = await request(user, 'GET', '/api/conversations?limit=2');
    const body = page.json() as { conversations: { title: string; updatedAt: string }[]; nextBefore: string };
    expect(body.conversations.map((item) => item.title)).toEqual(['third', 'second']);
    expect(Object.keys(body.conversations[0]!).sort()).toEqual([
      'createdAt',
      'id',
      'model',
      'title',
      'updatedAt',
    ]);
    expect(body.nextBefore).toEqual(expect.any(String));
    const next = await request(
      user,
      'GET',
      `/api/conversations?limit=2&before=${encodeURIComponent(body.nextBefore)}`,
    );
    expect(next.json()).toMatchObject({ conversations: [{ title: 'first' }], nextBefore: null });
  });

  it('pages through conversations written in the same millisecond without losing or repeating one', async () => {
    const user = await signUpAndLogIn(test);
    const created = [];
    for (let index = 0; index < 5; index++) created.push((await newConversation(test, user)).id);
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const query: string = before ? `&before=${encodeURIComponent(before)}` : '';
      const page = (await request(user, 'GET', `/api/conversations?limit=2${query}`)).json() as {
        conversations: { id: string }[];
        nextBefore: string | null;
      };
      seen.push(...page.conversations.map((item) => item.id));
      before = page.nextBefore;
    } while (before);
    expect(seen.sort()).toEqual(created.sort());
  });

  it('searches titles and message texts case-insensitively, with % and _ matching only themselves', async () => {
    const user = await signUpAndLogIn(test);
    await newConversation(test, user, { title: 'Sourdough Starter' });
    await newConversation(test, user, { title: '100% sure' });
    await newConversation(test, user, { title: '1000 things' });
    await newConversation(test, user, { title: 'snake_case names' });
    await newConversation(test, user, { title: 'snakeXcase names' });
    const untitled = await newConversation(test, user);
    await addMessage(user, untitled.id, 'How long do I knead the DOUGH?');

    expect((await titlesFor(user, '?q=sourdough')).sort()).toEqual(['Sourdough Starter']);
    expect((await titlesFor(user, '?q=dough')).sort()).toEqual(['New chat', 'Sourdough Starter']);
    expect(await titlesFor(user, `?q=${encodeURIComponent('100%')}`)).toEqual(['100% sure']);
    expect(await titlesFor(user, '?q=snake_case')).toEqual(['snake_case names']);
    expect(await titlesFor(user, '?q=nothing-like-this')).toEqual([]);
  });

  it('renames, and refuses an empty change or a leaf from elsewhere', async () => {
    const user = await signUpAndLogIn(test);
    const conversation = await newConversation(test, user);
    const other = await newConversation(test, user);
    await addMessage(user, other.id, 'elsewhere');
    const [elsewhere] = await db
      .select()
      .from(conversationMessages)
      .where(eq(conversationMessages.conversationId, other.id));

    const renamed = await request(user, 'PATCH', `/api/conversations/${conversation.id}`, {
      title: 'Renamed',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: conversation.id, title: 'Renamed' });
    expect(await titlesFor(user)).toContain('Renamed');

    const empty = await request(user, 'PATCH', `/api/conversations/${conversation.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('give title or activeLeafId');
    const foreign = await request(user, 'PATCH', `/api/conversations/${conversation.id}`, {
      activeLeafId: elsewhere!.id,
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.message).toContain('is not a message of this conversation');
  });

  it('deletes a conversation with its messages', async () => {
    const user = await signUpAndLogIn(test);
    const conversation = await newConversation(test, user);
    await addMessage(user, conversation.id, 'to be deleted');
    const deleted = await request(user, 'DELETE', `/api/conversations/${conversation.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await request(user, 'GET', `/api/conversations/${conversation.id}`)).statusCode).toBe(404);
    expect(
      await db
        .select()
        .from(conversationMessages)
        .where(eq(conversationMessages.conversationId, conversation.id)),
    ).toEqual([]);
    expect((await request(user, 'DELETE', `/api/conversations/${conversation.id}`)).statusCode).toBe(404);
  });

  it("treats another user's conversation as missing, and never lists it", async () => {
    const owner = await signUpAndLogIn(test);
    const stranger = await signUpAndLogIn(test);
    const conversation = await newConversation(test, owner, { title: 'Private' });
    await fund(test, stranger, 1_000_000n);
    const url = `/api/conversations/${conversation.id}`;
    const missing = await request(stranger, 'GET', `/api/conversations/${randomUUID()}`);
    for (const response of [
      await request(stranger, 'GET', url),
      await request(stranger, 'PATCH', url, { title: 'Mine now' }),
      await request(stranger, 'GET', `${url}/export`),
      await request(stranger, 'POST', `${url}/messages`, {
        model: 'openai/gpt-4o-mini',
        parentId: null,
        content: { text: 'hi' },
      }),
      await request(stranger, 'DELETE', url),
    ]) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().error.type).toBe(missing.json().error.type);
    }
    expect(await titlesFor(stranger)).toEqual([]);
    expect(await titlesFor(owner)).toEqual(['Private']);
  });

  it('refuses a change without the CSRF header, or with a wrong one', async () => {
    const user = await signUpAndLogIn(test);
    const conversation = await newConversation(test, user);
    const cookieOnly = { cookie: user.cookie };
    for (const [method, url] of [
      ['POST', '/api/conversations'],
      ['PATCH', `/api/conversations/${conversation.id}`],
      ['DELETE', `/api/conversations/${conversation.id}`],
      ['POST', `/api/conversations/${conversation.id}/messages`],
      ['PUT', '/api/account/preferences'],
      ['POST', '/api/reports'],
    ] as const) {
      const response = await test.app.inject({ method, url, headers: cookieOnly, payload: { title: 'x' } });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.type).toBe('csrf_failed');
    }
    const wrong = await test.app.inject({
      method: 'DELETE',
      url: `/api/conversations/${conversation.id}`,
      headers: { cookie: user.cookie, 'x-csrf-token': 'x'.repeat(32) },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await request(user, 'GET', `/api/conversations/${conversation.id}`)).statusCode).toBe(200);
  });

  it('answers 400 with the field named for a malformed id, limit or cursor', async () => {
    const user = await signUpAndLogIn(test);
    const badId = await request(user, 'GET', '/api/conversations/not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.message).toMatch(/^params\.id: /);
    const badLimit = await request(user, 'GET', '/api/conversations?limit=0');
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().error.message).toMatch(/^querystring\.limit: /);
    const badCursor = await request(user, 'GET', '/api/conversations?before=yesterday');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.message).toContain('nextBefore');
  });

  it('documents the studio routes in the OpenAPI description, tagged and with their parameters', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = (
      response.json() as {
        paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string }[] }>>;
      }
    ).paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/conversations',
        '/api/conversations/{id}',
        '/api/conversations/{id}/export',
        '/api/conversations/{id}/messages',
        '/api/account/preferences',
        '/api/reports',
      ]),
    );
    expect(paths['/api/conversations']!.get!.tags).toEqual(['studio']);
    expect(paths['/api/conversations']!.get!.parameters!.map((parameter) => parameter.name)).toEqual([
      'q',
      'limit',
      'before',
    ]);
  });
});

describe('search over sealed titles and messages', () => {
  /** `count` conversations, one minute apart, newest first; titles from `title(index)`. */
  async function manyConversations(user: SignedInUser, count: number, title: (index: number) => string) {
    const key = await dataKeyFor(test.ctx, user.userId);
    const start = Date.now();
    const rows = Array.from({ length: count }, (_, index) => {
      const id = randomUUID();
      const at = new Date(start - index * 60_000);
      return {
        id,
        userId: user.userId,
        title: sealTitle(key, id, title(index)),
        createdAt: at,
        updatedAt: at,
      };
    });
    await db.insert(conversations).values(rows);
    return rows.map((row) => row.id);
  }

  async function searchPages(user: SignedInUser, query: string) {
    const pages: string[][] = [];
    let before: string | null = null;
    do {
      const cursor: string = before ? `&before=${encodeURIComponent(before)}` : '';
      const response = await request(user, 'GET', `/api/conversations?${query}${cursor}`);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { conversations: { id: string }[]; nextBefore: string | null };
      pages.push(page.conversations.map((item) => item.id));
      before = page.nextBefore;
    } while (before);
    return pages;
  }

  it('finds matches newest first across batches, a page at a time, the oldest by its text', async () => {
    const user = await signUpAndLogIn(test);
    const ids = await manyConversations(user, 250, (index) =>
      index % 60 === 7 ? `Needle ${index}` : `Hay ${index}`,
    );
    await addMessage(user, ids[249]!, 'the oldest mentions a NEEDLE in its text');
    const expected = [7, 67, 127, 187, 247, 249].map((index) => ids[index]!);
    expect(await searchPages(user, 'q=needle&limit=2')).toEqual([
      expected.slice(0, 2),
      expected.slice(2, 4),
      expected.slice(4, 6),
    ]);
    expect(await searchPages(user, 'q=needle&limit=100')).toEqual([expected]);
  });

  it('stops after opening the scan limit of conversations, with a cursor that goes on from there', async () => {
    const user = await signUpAndLogIn(test);
    const ids = await manyConversations(user, 250, (index) => `Chat ${index}`);
    await addMessage(user, ids[230]!, 'a rare word: quokka');
    const query = { q: 'quokka', limit: 10, scanLimit: 100 };
    const first = await listConversations(test.ctx, user.userId, query);
    expect(first.conversations).toEqual([]);
    // The page ends with the last conversation opened, whether it matched or not.
    expect(first.nextBefore).toMatch(new RegExp(`_${ids[99]}$`));
    const [instant, id] = first.nextBefore!.split('_') as [string, string];
    const second = await listConversations(test.ctx, user.userId, {
      ...query,
      before: { updatedAt: new Date(instant), id },
    });
    expect(second.conversations).toEqual([]);
    expect(second.nextBefore).toMatch(new RegExp(`_${ids[199]}$`));
    const [instant2, id2] = second.nextBefore!.split('_') as [string, string];
    const third = await listConversations(test.ctx, user.userId, {
      ...query,
      before: { updatedAt: new Date(instant2), id: id2 },
    });
    expect(third.conversations.map((row) => row.id)).toEqual([ids[230]]);
    expect(third.nextBefore).toBeNull();
  });

  it('opens message texts only: an attachment that does not open does not stop a search', async () => {
    const user = await signUpAndLogIn(test);
    const conversation = await newConversation(test, user, { title: 'Pictures' });
    await addMessage(user, conversation.id, 'look at the walrus');
    await db
      .update(conversationMessages)
      .set({ attachments: 'c1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' as never })
      .where(eq(conversationMessages.conversationId, conversation.id));
    expect(await titlesFor(user, '?q=walrus')).toEqual(['Pictures']);
    const read = await request(user, 'GET', `/api/conversations/${conversation.id}`);
    expect(read.statusCode).toBe(500);
    expect(read.json().error.message).toBe(
      'Stored content (conversation_messages.attachments) failed its integrity check',
    );
  });
});
