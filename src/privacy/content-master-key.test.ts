/**
 * Master key rotation (`mixgate keys rotate-master`, in process): every user data key, two-factor
 * secret and job webhook secret is re-sealed under the new key; after a restart with it, the
 * conversations, studio files and two-factor sign-in still work, and the old key opens nothing.
 * With MIXGATE_MASTER_KEY configured, the command prints the new key and writes no file; one value
 * that does not open aborts the whole rotation.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStudioGatewayApp,
  fundedSignedInUser,
  requestAs,
  type StudioGatewayApp,
} from '../../test/studio-gateway-app.js';
import { newConversation, postTurn } from '../../test/studio-test-app.js';
import type { SignedInUser } from '../../test/test-app.js';
import { totpSealContext } from '../accounts/two-factor.js';
import { buildApp } from '../app.js';
import type { App, AppContext } from '../app-context.js';
import { gatewayJobs, userDataKeys, users } from '../db/schema/index.js';
import { webhookSecretContext } from '../gateway/jobs/job-webhook.js';
import { decrypt, encrypt } from '../lib/crypto.js';
import { loadMasterKey } from '../lib/master-key.js';
import { clearDataKeyCache, dataKeyFor, masterKeyId, sealDataKey } from './content-keys.js';
import { checkMasterKey } from './content-master-key.js';
import { rotateMasterKeyCommand } from './content-rotate-command.js';

let gateway: StudioGatewayApp;
let user: SignedInUser;
let totpSecret: string;
let conversationId: string;
let outputFileUrl: string;
let imageBytes: Buffer;
const jobId = `job-${randomBytes(13).toString('hex')}`;
const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
const oldKey = randomBytes(32);
const restarted: App[] = [];

function codeNow(): string {
  gateway.clock.advance(30_000);
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecret) }).generate({
    timestamp: gateway.clock.now.getTime(),
  });
}

/** The same database and files, served by a process that started with `masterKey`. */
async function restartWith(masterKey: Buffer): Promise<{ app: App; ctx: AppContext }> {
  clearDataKeyCache();
  const ctx = { ...gateway.ctx, masterKey };
  const app = await buildApp(ctx);
  await app.ready();
  restarted.push(app);
  return { app, ctx };
}

function captured() {
  const lines: string[] = [];
  return {
    lines,
    out: { log: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`) },
  };
}

beforeAll(async () => {
  gateway = await createStudioGatewayApp();
  gateway.ctx.masterKey = oldKey;
  await writeFile(path.join(gateway.dataDir, 'master.key'), `${oldKey.toString('base64')}\n`, {
    mode: 0o600,
  });
  user = await fundedSignedInUser(gateway, 5_000_000n);

  const conversation = await newConversation(gateway, user);
  conversationId = conversation.id;
  const turn = await postTurn(gateway.url, user, conversationId, {
    model: 'openai/gpt-4o-mini',
    parentId: null,
    content: { text: 'Remember the lighthouse' },
  });
  expect(turn.status, turn.body).toBe(200);

  const image = await requestAs(gateway, user, 'POST', '/api/studio/images', {
    model: 'local/pixels',
    prompt: 'a lighthouse at dusk',
    size: '16x16',
  });
  expect(image.statusCode, image.body).toBe(201);
  outputFileUrl = (image.json() as { files: { url: string }[] }).files[0]!.url;
  imageBytes = (await requestAs(gateway, user, 'GET', outputFileUrl)).rawPayload;

  const setup = await requestAs(gateway, user, 'POST', '/api/account/2fa/setup');
  totpSecret = (setup.json() as { secret: string }).secret;
  const enable = await requestAs(gateway, user, 'POST', '/api/account/2fa/enable', { code: codeNow() });
  expect(enable.statusCode, enable.body).toBe(200);

  await gateway.ctx.db.insert(gatewayJobs).values({
    id: jobId,
    generationId: `gen-${jobId.slice(4)}`,
    userId: user.userId,
    requestedModel: 'replicate/video-01',
    status: 'succeeded',
    routing: { models: ['replicate/video-01'] },
    holdId: 0,
    holdAmount: 0n,
    webhookUrl: 'https://example.com/hook',
    webhookSecret: encrypt(oldKey, webhookSecret, webhookSecretContext(jobId)),
    createdAt: gateway.ctx.now(),
  });
});

afterAll(async () => {
  for (const app of restarted) await app.close();
  await gateway.close();
});

async function sealedSecrets() {
  const [row] = await gateway.ctx.db.select().from(users).where(eq(users.id, user.userId));
  const [job] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, jobId));
  const [key] = await gateway.ctx.db.select().from(userDataKeys).where(eq(userDataKeys.userId, user.userId));
  return { totp: row!.totpSecretSealed!, webhook: job!.webhookSecret!, dataKey: key! };
}

describe('mixgate keys rotate-master', () => {
  let newKey: Buffer;

  it('re-seals every data key and secret, then moves the new key into DATA_DIR/master.key', async () => {
    const before = await sealedSecrets();
    const { lines, out } = captured();
    const code = await rotateMasterKeyCommand({ ...gateway.ctx, config: { dataDir: gateway.dataDir } }, out);
    expect(code, lines.join('\n')).toBe(0);
    newKey = await loadMasterKey({ dataDir: gateway.dataDir });
    expect(newKey.equals(oldKey)).toBe(false);
    expect(lines[0]).toMatch(
      new RegExp(
        `^Master key rotated from ${masterKeyId(oldKey)} to ${masterKeyId(newKey)}: \\d+ user data key`,
      ),
    );
    expect(lines.join('\n')).toContain('Restart every Mixgate instance now');
    const files = await readdir(gateway.dataDir);
    expect(files).not.toContain('master.key.next');
    const previous = files.filter((file) => file.startsWith('master.key.previous-'));
    expect(previous).toHaveLength(1);
    expect((await readFile(path.join(gateway.dataDir, previous[0]!), 'utf8')).trim()).toBe(
      oldKey.toString('base64'),
    );

    const after = await sealedSecrets();
    expect(after.totp).not.toBe(before.totp);
    expect(after.webhook).not.toBe(before.webhook);
    expect(after.dataKey.keySealed).not.toBe(before.dataKey.keySealed);
    expect(after.dataKey).toMatchObject({ masterKeyId: masterKeyId(newKey), rotatedAt: expect.any(Date) });
    expect(decrypt(newKey, after.totp, totpSealContext(user.userId)).toString()).toBe(totpSecret);
    expect(decrypt(newKey, after.webhook, webhookSecretContext(jobId)).toString()).toBe(webhookSecret);
  });

  it('leaves content, files and two-factor sign-in working after a restart with the new key', async () => {
    await expect(checkMasterKey(gateway.ctx.db, newKey)).resolves.toEqual({ foreign: 0 });
    const { app } = await restartWith(newKey);
    const read = await app.inject({
      method: 'GET',
      url: `/api/conversations/${conversationId}`,
      headers: user.headers,
    });
    expect(read.statusCode, read.body).toBe(200);
    const { conversation, messages } = read.json() as {
      conversation: { title: string };
      messages: { content: { text: string } }[];
    };
    expect(conversation.title).toBe('Remember the lighthouse');
    expect(messages.map((message) => message.content.text)).toEqual([
      'Remember the lighthouse',
      'Hello from the openai fake. You said: Remember the lighthouse',
    ]);
    const file = await app.inject({ method: 'GET', url: outputFileUrl, headers: user.headers });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(imageBytes)).toBe(true);

    const withoutCode = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(withoutCode.json()).toMatchObject({ error: { type: 'two_factor_required' } });
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password, totpCode: codeNow() },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
  });

  it('leaves the old key able to open nothing, and refuses to start with it', async () => {
    const { totp, webhook } = await sealedSecrets();
    expect(() => decrypt(oldKey, totp, totpSealContext(user.userId))).toThrow();
    expect(() => decrypt(oldKey, webhook, webhookSecretContext(jobId))).toThrow();
    await expect(checkMasterKey(gateway.ctx.db, oldKey)).rejects.toThrow(/did not seal any of the/);
    const { app, ctx } = await restartWith(oldKey);
    await expect(dataKeyFor(ctx, user.userId)).rejects.toThrow(masterKeyId(newKey));
    const read = await app.inject({
      method: 'GET',
      url: `/api/conversations/${conversationId}`,
      headers: user.headers,
    });
    expect(read.statusCode).toBe(500);
    expect(read.body).not.toContain('lighthouse');
  });

  it('prints what to set instead, and writes nothing, when MIXGATE_MASTER_KEY is configured', async () => {
    const next = randomBytes(32);
    const { lines, out } = captured();
    const keyFile = await readFile(path.join(gateway.dataDir, 'master.key'), 'utf8');
    const code = await rotateMasterKeyCommand(
      {
        ...gateway.ctx,
        masterKey: newKey,
        config: {
          dataDir: gateway.dataDir,
          MIXGATE_MASTER_KEY: newKey.toString('base64'),
          MIXGATE_NEW_MASTER_KEY: next.toString('base64url'),
        },
      },
      out,
    );
    expect(code, lines.join('\n')).toBe(0);
    expect(lines).toContain(`MIXGATE_MASTER_KEY=${next.toString('base64')}`);
    expect(await readFile(path.join(gateway.dataDir, 'master.key'), 'utf8')).toBe(keyFile);
    expect((await readdir(gateway.dataDir)).filter((file) => file.startsWith('master.key'))).toHaveLength(2);
    await expect(checkMasterKey(gateway.ctx.db, next)).resolves.toEqual({ foreign: 0 });
    newKey = next;
  });

  it('changes nothing when one value does not open with the current key', async () => {
    const stranger = randomUUID();
    await gateway.ctx.db.insert(users).values({
      id: stranger,
      email: `${stranger}@example.com`,
      username: `s${stranger.slice(0, 8)}`,
      passwordHash: 'x',
      ageConfirmed: true,
      ageConfirmedAt: new Date(),
    });
    const otherMaster = randomBytes(32);
    await gateway.ctx.db.insert(userDataKeys).values({
      userId: stranger,
      keySealed: sealDataKey(otherMaster, stranger, randomBytes(32)),
      masterKeyId: masterKeyId(otherMaster),
    });
    const before = await sealedSecrets();
    const keyFile = await readFile(path.join(gateway.dataDir, 'master.key'), 'utf8');
    const { lines, out } = captured();
    const code = await rotateMasterKeyCommand(
      { ...gateway.ctx, masterKey: newKey, config: { dataDir: gateway.dataDir } },
      out,
    );
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(
      /^error: Nothing was rotated: user_data_keys\.key_sealed of .* does not open/,
    );
    expect(await sealedSecrets()).toEqual(before);
    expect(await readFile(path.join(gateway.dataDir, 'master.key'), 'utf8')).toBe(keyFile);
    expect(await readdir(gateway.dataDir)).not.toContain('master.key.next');
    await expect(checkMasterKey(gateway.ctx.db, newKey)).resolves.toEqual({ foreign: 1 });
  });
});
