/**
 * Chat turns of the web app through the real server and the OpenAI fake: both messages are kept
 * (before the stream's end), with the cost the gateway captured; regenerating and editing make
 * branches; the branch shown is exported; a browser that leaves, a provider that breaks off and
 * credit that is short each leave an answer that says so; history off keeps nothing.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { fund, newConversation, postTurn } from '../../test/studio-test-app.js';
import { type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { conversationMessages, generations } from '../db/schema/index.js';
import { createCircuitBreakers } from '../gateway/routing/circuit-breaker.js';
import { amountAsJsonNumber, formatAmount, parseAmount } from '../lib/money.js';
import { dataKeyFor } from '../privacy/content-keys.js';
import { FAKE_PNG_BASE64 } from '../providers/openai/fake-openai.js';
import { titleFrom } from './chat-turn.js';
import { openMessage } from './conversation-content.js';

vi.mock('../app.js', async (importOriginal) =>
  (await import('../../test/studio-test-app.js')).withStudioRoutes(await importOriginal()),
);

const MODEL = 'openai/gpt-4o-mini';
const CREDIT = 5_000_000n;

let gateway: GatewayTestApp;
beforeAll(async () => {
  gateway = await createGatewayTestApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});
beforeEach(() => {
  gateway.ctx.gateway.breakers = createCircuitBreakers();
});

interface Message {
  id: string;
  parentId: string | null;
  role: string;
  content: { text: string; attachments?: unknown[] };
  model: string | null;
  generationId: string | null;
  cost: string | null;
  status: string;
  error: string | null;
}

async function fundedUser(amount = CREDIT): Promise<SignedInUser> {
  const user = await signUpAndLogIn(gateway);
  await fund(gateway, user, amount);
  return user;
}

async function read(user: SignedInUser, id: string) {
  const response = await gateway.app.inject({
    method: 'GET',
    url: `/api/conversations/${id}`,
    headers: user.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    conversation: { title: string; activeLeafId: string; model: string };
    messages: Message[];
  };
}

function turn(parentId: string | null, text: string, extra: Record<string, unknown> = {}) {
  return { model: MODEL, parentId, content: { text }, ...extra };
}

/** What the provider was asked in the last request: role and text of each message. */
function lastPrompt(): { role: string; content: unknown }[] {
  const body = gateway.fakes.openai.requests.at(-1)!.body as {
    messages: { role: string; content: unknown }[];
  };
  return body.messages.map(({ role, content }) => ({ role, content }));
}

async function generationRow(id: string) {
  await gateway.ctx.gateway.settlements.drain();
  const [row] = await gateway.ctx.db.select().from(generations).where(eq(generations.id, id));
  return row!;
}

describe('a chat turn', () => {
  it('streams as /v1/chat/completions does and keeps both messages, the answer before [DONE], at the cost charged', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    const answer = await postTurn(gateway.url, user, conversation.id, turn(null, 'Tell me about the sea'));

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain('text/event-stream');
    // The answer was kept before the last chunk was written: no waiting here.
    const kept = await gateway.ctx.db
      .select()
      .from(conversationMessages)
      .where(eq(conversationMessages.conversationId, conversation.id));
    expect(kept).toHaveLength(2);

    expect(answer.done).toBe(true);
    expect(answer.text).toBe('Hello from the openai fake. You said: Tell me about the sea');
    const usageChunk = answer.chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    const userMessageId = answer.headers['x-mixgate-user-message-id'];
    const answerId = answer.headers['x-mixgate-message-id'];
    const generationId = answer.headers['x-mixgate-generation-id'] as string;
    expect(generationId).toMatch(/^gen-/);

    const { conversation: after, messages } = await read(user, conversation.id);
    expect(messages).toEqual([
      {
        id: userMessageId,
        parentId: null,
        role: 'user',
        content: { text: 'Tell me about the sea' },
        model: null,
        generationId: null,
        cost: null,
        status: 'complete',
        error: null,
        createdAt: expect.any(String),
      },
      {
        id: answerId,
        parentId: userMessageId,
        role: 'assistant',
        content: { text: answer.text },
        model: MODEL,
        generationId,
        cost: expect.stringMatching(/^0\.\d{6}$/),
        status: 'complete',
        error: null,
        createdAt: expect.any(String),
      },
    ]);
    const row = await generationRow(generationId);
    expect(row.status).toBe('succeeded');
    expect(row.cost).toBeGreaterThan(0n);
    expect(parseAmount(messages[1]!.cost!)).toBe(row.cost);
    expect(usageChunk.usage!.cost).toBe(amountAsJsonNumber(formatAmount(row.cost)));
    expect(after).toMatchObject({ title: 'Tell me about the sea', activeLeafId: answerId, model: MODEL });
    expect(lastPrompt()).toEqual([{ role: 'user', content: 'Tell me about the sea' }]);
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ balance: CREDIT - row.cost, held: 0n });
  });

  it('sends the branch down to the new message; regenerating adds a sibling answer; editing starts a branch', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    const first = await postTurn(gateway.url, user, conversation.id, turn(null, 'Name a sea'));
    const firstQuestion = first.headers['x-mixgate-user-message-id'] as string;
    const firstAnswer = first.headers['x-mixgate-message-id'] as string;

    gateway.clock.advance(1_000);
    gateway.fakes.openai.enqueue({ text: 'The Baltic.' });
    const second = await postTurn(gateway.url, user, conversation.id, turn(firstAnswer, 'And a lake?'));
    expect(second.text).toBe('The Baltic.');
    expect(lastPrompt()).toEqual([
      { role: 'user', content: 'Name a sea' },
      { role: 'assistant', content: first.text },
      { role: 'user', content: 'And a lake?' },
    ]);
    const secondQuestion = second.headers['x-mixgate-user-message-id'] as string;

    gateway.clock.advance(1_000);
    gateway.fakes.openai.enqueue({ text: 'Lake Constance.' });
    const again = await postTurn(gateway.url, user, conversation.id, {
      model: MODEL,
      parentId: secondQuestion,
      regenerate: true,
    });
    expect(again.status).toBe(200);
    expect(again.headers['x-mixgate-user-message-id']).toBe(secondQuestion);
    expect(lastPrompt()).toEqual([
      { role: 'user', content: 'Name a sea' },
      { role: 'assistant', content: first.text },
      { role: 'user', content: 'And a lake?' },
    ]);

    gateway.clock.advance(1_000);
    const edit = await postTurn(gateway.url, user, conversation.id, turn(null, 'Name an ocean'));
    expect(lastPrompt()).toEqual([{ role: 'user', content: 'Name an ocean' }]);

    const { conversation: after, messages } = await read(user, conversation.id);
    expect(messages.map((message) => [message.role, message.parentId, message.content.text])).toEqual([
      ['user', null, 'Name a sea'],
      ['assistant', firstQuestion, first.text],
      ['user', firstAnswer, 'And a lake?'],
      ['assistant', secondQuestion, 'The Baltic.'],
      ['assistant', secondQuestion, 'Lake Constance.'],
      ['user', null, 'Name an ocean'],
      ['assistant', edit.headers['x-mixgate-user-message-id'], edit.text],
    ]);
    // The title came from the first message and stays.
    expect(after).toMatchObject({ title: 'Name a sea', activeLeafId: edit.headers['x-mixgate-message-id'] });
  });

  it('exports the branch shown, as Markdown or JSON, after switching branch with activeLeafId', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    gateway.fakes.openai.enqueue({ text: 'Paris.' });
    const original = await postTurn(gateway.url, user, conversation.id, turn(null, 'Capital of France?'));
    gateway.fakes.openai.enqueue({ text: 'Berlin.' });
    await postTurn(gateway.url, user, conversation.id, turn(null, 'Capital of Germany?'));

    const shown = await gateway.app.inject({
      method: 'PATCH',
      url: `/api/conversations/${conversation.id}`,
      headers: user.headers,
      payload: { activeLeafId: original.headers['x-mixgate-message-id'] },
    });
    expect(shown.statusCode, shown.body).toBe(200);
    const { messages } = await read(user, conversation.id);
    const paris = messages.find((message) => message.content.text === 'Paris.')!;

    const markdown = await gateway.app.inject({
      method: 'GET',
      url: `/api/conversations/${conversation.id}/export?format=markdown`,
      headers: { cookie: user.cookie },
    });
    expect(markdown.statusCode).toBe(200);
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.headers['content-disposition']).toBe(
      `attachment; filename="Capital-of-France.md"; filename*=UTF-8''Capital%20of%20France.md`,
    );
    expect(markdown.body).toBe(
      `# Capital of France?\n\n### **You**\n\nCapital of France?\n\n` +
        `### **Assistant** (${MODEL}, ${paris.cost} USD)\n\nParis.\n`,
    );

    const json = await gateway.app.inject({
      method: 'GET',
      url: `/api/conversations/${conversation.id}/export?format=json`,
      headers: { cookie: user.cookie },
    });
    expect(json.headers['content-disposition']).toContain('filename="Capital-of-France.json"');
    const document = json.json() as { title: string; exportedAt: string; messages: Message[] };
    expect(document.title).toBe('Capital of France?');
    expect(document.exportedAt).toBe(gateway.ctx.now().toISOString());
    expect(document.messages.map((message) => message.content.text)).toEqual([
      'Capital of France?',
      'Paris.',
    ]);
    expect(document.messages[1]).toEqual(paris);

    const bad = await gateway.app.inject({
      method: 'GET',
      url: `/api/conversations/${conversation.id}/export?format=pdf`,
      headers: { cookie: user.cookie },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('sends images as image parts and files as text parts, and keeps them', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    const attachments = [
      {
        kind: 'image',
        name: 'dot.png',
        mediaType: 'image/png',
        dataUrl: `data:image/png;base64,${FAKE_PNG_BASE64}`,
      },
      { kind: 'file', name: 'notes.txt', mediaType: 'text/plain', text: 'alpha\nbeta' },
    ];
    const answer = await postTurn(gateway.url, user, conversation.id, {
      model: MODEL,
      parentId: null,
      content: { text: 'What is in these?', attachments },
    });
    expect(answer.status, answer.body).toBe(200);
    expect(lastPrompt()).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${FAKE_PNG_BASE64}` } },
          { type: 'text', text: 'File notes.txt:\nalpha\nbeta' },
        ],
      },
    ]);
    const { messages } = await read(user, conversation.id);
    expect(messages[0]!.content).toEqual({ text: 'What is in these?', attachments });
  });
});

describe('an answer that did not complete', () => {
  it('is kept as cancelled with the text delivered when the browser leaves mid-stream', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    gateway.fakes.openai.enqueue({ chunkDelayMs: 100 });
    const left = await postTurn(
      gateway.url,
      user,
      conversation.id,
      turn(null, 'Tell me a long story'),
      (text) => text.length > 0,
    );
    expect(left.text).toBe('Hello');
    const answerId = left.headers['x-mixgate-message-id'] as string;

    const answer = await vi.waitFor(
      async () => {
        const [row] = await gateway.ctx.db
          .select()
          .from(conversationMessages)
          .where(eq(conversationMessages.id, answerId));
        expect(row).toBeDefined();
        return row!;
      },
      { timeout: 5_000, interval: 20 },
    );
    expect(answer).toMatchObject({ status: 'cancelled', error: null });
    // Kept sealed with the user's data key; it opens to what was delivered.
    expect(answer.content).not.toContain('Hello');
    const key = await dataKeyFor(gateway.ctx, user.userId);
    expect(openMessage(key, answer).content).toEqual({ text: 'Hello' });
    const row = await generationRow(answer.generationId!);
    expect(row).toMatchObject({ status: 'cancelled', errorCode: 'client_closed' });
    expect(row.cost).toBeGreaterThan(0n);
    expect(answer.cost).toBe(row.cost);
  });

  it('is kept as interrupted, with what arrived and why, when the provider breaks off', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    gateway.fakes.openai.enqueue({ cutHalfway: true });
    const cut = await postTurn(gateway.url, user, conversation.id, turn(null, 'Tell me about rivers'));
    expect(cut.status).toBe(200);
    expect(cut.done).toBe(false);
    expect(cut.body).toContain('upstream_error');
    const { messages } = await read(user, conversation.id);
    expect(messages[1]).toMatchObject({ status: 'interrupted', content: { text: cut.text } });
    expect(messages[1]!.error).toContain('broke off');
    expect(cut.text.length).toBeGreaterThan(0);
  });

  it('keeps the message and a failed answer naming the error when credit is short (402), calling no provider', async () => {
    const user = await fundedUser(100n);
    const conversation = await newConversation(gateway, user);
    const before = gateway.fakes.openai.requests.length;
    const refused = await postTurn(gateway.url, user, conversation.id, turn(null, 'Hello?'));
    expect(refused.status).toBe(402);
    expect(JSON.parse(refused.body).error.type).toBe('insufficient_credit');
    expect(gateway.fakes.openai.requests.length).toBe(before);

    const { conversation: after, messages } = await read(user, conversation.id);
    expect(messages.map((message) => message.id)).toEqual([
      refused.headers['x-mixgate-user-message-id'],
      refused.headers['x-mixgate-message-id'],
    ]);
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      status: 'failed',
      content: { text: '' },
      cost: null,
      generationId: null,
    });
    expect(messages[1]!.error).toContain('credit');
    expect(after.activeLeafId).toBe(refused.headers['x-mixgate-message-id']);
  });
});

describe('refused turns keep nothing', () => {
  async function messageCount(conversationId: string): Promise<number> {
    const rows = await gateway.ctx.db
      .select()
      .from(conversationMessages)
      .where(eq(conversationMessages.conversationId, conversationId));
    return rows.length;
  }

  it('answers 409 history_disabled when history is off', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    const off = await gateway.app.inject({
      method: 'PUT',
      url: '/api/account/preferences',
      headers: user.headers,
      payload: { historyEnabled: false },
    });
    expect(off.statusCode).toBe(200);
    const before = gateway.fakes.openai.requests.length;
    const refused = await postTurn(gateway.url, user, conversation.id, turn(null, 'Keep this?'));
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.body).error.type).toBe('history_disabled');
    expect(await messageCount(conversation.id)).toBe(0);
    expect(gateway.fakes.openai.requests.length).toBe(before);
  });

  it.each([
    [
      'an image that is not what its type says',
      {
        content: {
          text: 'look',
          attachments: [
            {
              kind: 'image',
              name: 'a.png',
              mediaType: 'image/png',
              dataUrl: 'data:image/png;base64,/9j/4AAQSkZJRg==',
            },
          ],
        },
      },
      'body.content.attachments.0.dataUrl: is not a image/png image',
    ],
    [
      'five images',
      {
        content: {
          text: 'look',
          attachments: Array.from({ length: 5 }, (_, index) => ({
            kind: 'image',
            name: `${index}.png`,
            mediaType: 'image/png',
            dataUrl: `data:image/png;base64,${FAKE_PNG_BASE64}`,
          })),
        },
      },
      'body.content.attachments: at most 4 images',
    ],
    [
      'a file over 200 KB',
      {
        content: {
          text: '',
          attachments: [
            { kind: 'file', name: 'big.txt', mediaType: 'text/plain', text: 'x'.repeat(205_000) },
          ],
        },
      },
      'body.content.attachments.0.text: must be at most 200 KB of UTF-8 text',
    ],
    ['an empty message', { content: { text: '  ' } }, 'body.content.text: is empty and nothing is attached'],
    ['no content', { content: undefined }, 'body.content: is required unless regenerate is true'],
    ['a temperature above 2', { temperature: 3 }, 'body.temperature:'],
  ])('answers 400 naming the field for %s', async (_name, change, message) => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    const body = { ...turn(null, 'hello'), ...change };
    const refused = await postTurn(gateway.url, user, conversation.id, body);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error.message).toContain(message);
    expect(await messageCount(conversation.id)).toBe(0);
  });

  it('answers 400 for a parent from elsewhere, a regenerate of an answer, and images to a model that cannot see', async () => {
    const user = await fundedUser();
    const conversation = await newConversation(gateway, user);
    const other = await newConversation(gateway, user);
    const elsewhere = await postTurn(gateway.url, user, other.id, turn(null, 'elsewhere'));
    const foreign = await postTurn(
      gateway.url,
      user,
      conversation.id,
      turn(elsewhere.headers['x-mixgate-message-id'] as string, 'hi'),
    );
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.body).error.message).toContain('is not a message of this conversation');

    const regenerateAnswer = await postTurn(gateway.url, user, other.id, {
      model: MODEL,
      parentId: elsewhere.headers['x-mixgate-message-id'],
      regenerate: true,
    });
    expect(regenerateAnswer.status).toBe(400);
    expect(JSON.parse(regenerateAnswer.body).error.message).toContain('regenerate answers a user message');

    const blind = await postTurn(gateway.url, user, conversation.id, {
      model: 'deepseek/deepseek-chat',
      parentId: null,
      content: {
        text: 'look',
        attachments: [
          {
            kind: 'image',
            name: 'a.png',
            mediaType: 'image/png',
            dataUrl: `data:image/png;base64,${FAKE_PNG_BASE64}`,
          },
        ],
      },
    });
    expect(blind.status).toBe(400);
    expect(JSON.parse(blind.body).error.message).toBe(
      'deepseek/deepseek-chat cannot read images; choose a model that can',
    );
    expect(await messageCount(conversation.id)).toBe(0);
  });
});

describe('the title from the first message', () => {
  it('is its first non-empty line, whitespace collapsed', () => {
    expect(titleFrom('\n  Plan   a trip \nto Rome')).toBe('Plan a trip');
    expect(titleFrom('   \n ')).toBeNull();
  });

  it('is cut on a word boundary to at most 60 characters, with an ellipsis', () => {
    const long = 'How do I convert a large PostgreSQL database to use UTF-8 without downtime please';
    const title = titleFrom(long)!;
    expect(title).toBe('How do I convert a large PostgreSQL database to use UTF-8…');
    expect(Array.from(title).length).toBeLessThanOrEqual(60);
    expect(titleFrom('x'.repeat(80))).toBe(`${'x'.repeat(59)}…`);
    // Characters, not UTF-16 units: an emoji is not split.
    expect(titleFrom('😀'.repeat(70))).toBe(`${'😀'.repeat(59)}…`);
    expect(titleFrom('a'.repeat(60))).toBe('a'.repeat(60));
  });
});
