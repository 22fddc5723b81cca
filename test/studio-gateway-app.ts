/**
 * Test helpers of the studio's gallery tests: the gateway's test app with a data folder of its own,
 * a funded signed-in user and requests as that user. Apart from studio-test-app.ts, whose module
 * the chat tests load inside their mock of src/app.ts: this one loads src/app.ts itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGatewayTestApp, type GatewayTestApp } from './gateway-test-app.js';
import { fund } from './studio-test-app.js';
import { type SignedInUser, signUpAndLogIn, type TestApp } from './test-app.js';

export type StudioGatewayApp = GatewayTestApp & { dataDir: string };

/** The gateway's test app with its files (studio and job outputs) in a fresh folder, removed on close. */
export async function createStudioGatewayApp(env: Record<string, string> = {}): Promise<StudioGatewayApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mixgate-studio-'));
  const gateway = await createGatewayTestApp({ MIXGATE_DATA_DIR: dataDir, ...env });
  return {
    ...gateway,
    dataDir,
    async close() {
      await gateway.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new signed-in user with `amount` micros of credit. */
export async function fundedSignedInUser(test: TestApp, amount: bigint): Promise<SignedInUser> {
  const user = await signUpAndLogIn(test);
  await fund(test, user, amount);
  return user;
}

/** A request as `user`, with the session cookie and the CSRF header. */
export function requestAs(
  test: TestApp,
  user: SignedInUser,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) {
  return test.app.inject({
    method,
    url,
    headers: user.headers,
    ...(payload === undefined ? {} : { payload }),
  });
}
