import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createApiKeyCache } from '../src/accounts/api-key-cache.js';
import { buildApp } from '../src/app.js';
import type { App, AppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import { gatewayServicesFromConfig } from '../src/gateway/gateway-services.js';
import { createTimerJobScheduler, type TimerJobScheduler } from '../src/gateway/jobs/job-scheduler.js';
import { runJobStep } from '../src/gateway/jobs/run-job-step.js';
import type { Mailer, MailMessage } from '../src/lib/mailer.js';
import { createMemoryRateLimiter } from '../src/lib/rate-limiter.js';
import { seedLegalDocuments } from '../src/privacy/legal/seed-legal-documents.js';
import { createTestDatabase } from './test-database.js';

export interface Mailbox extends Mailer {
  messages: MailMessage[];
  /** The last token (?token=…) mailed to `to`. */
  lastToken(to: string): string;
}

export function createMailbox(): Mailbox {
  const messages: MailMessage[] = [];
  return {
    messages,
    async send(message) {
      messages.push(message);
    },
    lastToken(to) {
      for (let index = messages.length - 1; index >= 0; index--) {
        const message = messages[index]!;
        const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(message.text);
        if (message.to === to && match) return match[1]!;
      }
      throw new Error(`No token mailed to ${to}`);
    },
  };
}

export interface TestApp {
  app: App;
  ctx: AppContext;
  mailbox: Mailbox;
  /** Runs the steps of /v1/jobs on timers; `idle()` waits for them. */
  jobs: TimerJobScheduler;
  /** Moves the clock used by the app. */
  clock: { now: Date; advance(ms: number): void };
}

/** The real app on a fresh database, with an in-memory mailbox and a movable clock. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { logStream?: NodeJS.WritableStream; webRoot?: string | null } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', MIXGATE_DATA_DIR: '.tmp/unused', ...env });
  const mailbox = createMailbox();
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const ctx: AppContext = {
    config,
    db: database.db,
    pool: database.pool,
    mailer: mailbox,
    masterKey: randomBytes(32),
    rateLimiter: createMemoryRateLimiter(() => clock.now.getTime()),
    apiKeyCache: createApiKeyCache(database.db, { now: () => clock.now.getTime() }),
    gateway: gatewayServicesFromConfig(config, database.db, () => clock.now),
    now: () => clock.now,
  };
  const jobs = createTimerJobScheduler((jobId) => runJobStep(ctx, jobId));
  ctx.gateway.jobScheduler = jobs;
  await seedLegalDocuments(ctx.db, config, new Date(0));
  const app = await buildApp(ctx, options);
  await app.ready();
  return { app, ctx, mailbox, clock, jobs };
}

export interface SignedInUser {
  userId: string;
  email: string;
  username: string;
  password: string;
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing request as this user. */
  headers: Record<string, string>;
}

let counter = 0;

/** Signs a new user up, verifies the e-mail from the mailbox and logs in. */
export async function signUpAndLogIn(
  test: TestApp,
  overrides: { email?: string; username?: string } = {},
): Promise<SignedInUser> {
  counter += 1;
  const suffix = `${counter}${randomBytes(3).toString('hex')}`;
  const email = overrides.email ?? `user${suffix}@example.com`;
  const username = overrides.username ?? `user${suffix}`;
  const password = 'correct horse battery staple';
  const versions = await test.app.inject({ method: 'GET', url: '/api/legal/current' });
  const current = versions.json() as Record<string, { version: string }>;
  const signup = await test.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: {
      email,
      username,
      password,
      ageConfirmed: true,
      acceptedDocuments: { terms: current.terms!.version, privacy: current.privacy!.version },
    },
  });
  if (signup.statusCode !== 201) throw new Error(`sign-up failed: ${signup.body}`);
  const verify = await test.app.inject({
    method: 'POST',
    url: '/api/auth/verify-email',
    payload: { token: test.mailbox.lastToken(email) },
  });
  if (verify.statusCode !== 200) throw new Error(`verification failed: ${verify.body}`);
  return logInAs(test, email, password, username);
}

export async function logInAs(
  test: TestApp,
  email: string,
  password: string,
  username = '',
): Promise<SignedInUser> {
  const login = await test.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
  });
  if (login.statusCode !== 200) throw new Error(`log-in failed: ${login.body}`);
  const body = login.json() as { user: { id: string }; csrfToken: string };
  const cookie = sessionCookie(login);
  return {
    userId: body.user.id,
    email,
    username,
    password,
    cookie,
    csrfToken: body.csrfToken,
    headers: { cookie, 'x-csrf-token': body.csrfToken },
  };
}

export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((item) => item.name === 'mg_session');
  if (!cookie) throw new Error('no session cookie set');
  return `mg_session=${cookie.value}`;
}
