/**
 * The OpenAI fake as its own process, for bench/gateway.ts: the upstream must not share the
 * gateway's event loop, or the gateway's overhead would include the fake's own work. Started with
 * an IPC channel; sends `{ baseUrl }` once listening, answers `{ type: 'last-body' }` with the body
 * of the last request it received (so the direct runs send exactly what Mixgate sends), and exits
 * when the parent disconnects (or dies).
 */
import { startFakeOpenAi } from '../src/providers/openai/fake-openai.js';

export type FakeUpstreamMessage = { type: 'ready'; baseUrl: string } | { type: 'last-body'; body: unknown };

if (!process.send) throw new Error('bench/fake-upstream.ts runs as a child process with an IPC channel');
const send = (message: FakeUpstreamMessage) => process.send?.(message);

const fake = await startFakeOpenAi();
// The fake records every request; keep only the last so memory stays flat through long runs.
const trim = setInterval(() => fake.requests.splice(0, fake.requests.length - 1), 200);

process.on('message', (message: { type?: string }) => {
  if (message.type === 'last-body') send({ type: 'last-body', body: fake.requests.at(-1)?.body ?? null });
});
process.on('disconnect', () => {
  clearInterval(trim);
  void fake.close().then(() => process.exit(0));
});
send({ type: 'ready', baseUrl: fake.baseUrl });
