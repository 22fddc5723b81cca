import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { createStaffUser } from '../console/create-staff.js';
import type { StaffRole } from '../console/staff-roles.js';
import { DATA_CATEGORIES } from './datamap.js';
import type { RecordOfProcessing } from './record-of-processing.js';

// OpenAI in the US (third-country transfer) and an Ollama on the operator's own machine.
const test = await createTestApp({
  OPENAI_API_KEY: 'sk-test',
  OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
  OPERATOR_NAME: 'Acme Privacy GmbH',
  RETENTION_SUPPORT_MESSAGES_DAYS: '120',
});
const PASSWORD = 'correct horse battery staple';

async function staff(role: StaffRole): Promise<SignedInUser> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

describe('record of processing', () => {
  it('is generated from the data map with the configured retention and the configured providers', async () => {
    const privacyOfficer = await staff('privacy');
    const response = await test.app.inject({
      method: 'GET',
      url: '/api/privacy/ropa',
      headers: privacyOfficer.headers,
    });
    expect(response.statusCode).toBe(200);
    const record = response.json<RecordOfProcessing>();
    expect(record.controller.name).toBe('Acme Privacy GmbH');
    expect(record.activities.map((activity) => activity.category)).toEqual(DATA_CATEGORIES.map((c) => c.id));
    const reports = record.activities.find((activity) => activity.category === 'reports');
    expect(reports?.retention.days).toBe(120);
    const content = record.activities.find((activity) => activity.category === 'content');
    expect(content?.recipients.some((recipient) => recipient.startsWith('openai'))).toBe(true);
    expect(content?.storage).toContainEqual({
      table: 'conversation_messages',
      columns: expect.arrayContaining(['content']),
    });
    expect(record.thirdCountryTransfers).toContainEqual({
      recipient: 'openai (openai)',
      region: 'US',
      safeguard: 'EU-US Data Privacy Framework',
    });
    // Self-hosted and the built-in local provider transfer nothing abroad.
    expect(record.thirdCountryTransfers.map((transfer) => transfer.recipient).join()).not.toMatch(
      /ollama|local/,
    );
  });

  it('is for the admin and privacy staff only, also as a console page', async () => {
    const member = await signUpAndLogIn(test);
    const support = await staff('support');
    const admin = await staff('admin');
    for (const url of ['/api/privacy/ropa', '/console/privacy/record-of-processing']) {
      expect((await test.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await test.app.inject({ method: 'GET', url, headers: member.headers })).statusCode).toBe(403);
      expect((await test.app.inject({ method: 'GET', url, headers: support.headers })).statusCode).toBe(403);
    }
    const page = await test.app.inject({
      method: 'GET',
      url: '/console/privacy/record-of-processing',
      headers: admin.headers,
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('Record of processing activities');
    expect(page.body).toContain('<code>conversation_messages</code>');
    expect(page.body).toContain('4 months (120 days)');
  });
});

describe('sub-processors and the privacy policy', () => {
  it('lists the configured providers publicly, with region and transfer safeguard', async () => {
    const json = await test.app.inject({ method: 'GET', url: '/api/privacy/sub-processors' });
    expect(json.statusCode).toBe(200);
    const providers = json.json<{ subProcessors: Array<{ provider: string; region: string }> }>()
      .subProcessors;
    expect(providers.map((processor) => processor.provider)).toEqual(
      expect.arrayContaining(['openai', 'local']),
    );
    const page = await test.app.inject({ method: 'GET', url: '/legal/sub-processors' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('EU-US Data Privacy Framework');
  });

  it("renders the policy's data sections from the data map and the configuration", async () => {
    const response = await test.app.inject({ method: 'GET', url: '/legal/privacy?format=json' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ bodyMarkdown: string }>().bodyMarkdown;
    expect(body).not.toContain('{{');
    for (const category of DATA_CATEGORIES) expect(body).toContain(`**${category.name}`);
    expect(body).toMatch(/\*\*Reports and support messages:\*\* 4 months\./);
    expect(body).toMatch(/\*\*Balance and transactions:\*\* 5 years\./);
    expect(body).toContain(
      '| Keeping accounting and tax records | Balance and transactions | Legal obligation, Art. 6(1)(c) GDPR |',
    );
    expect(body).toMatch(/- \*\*openai\*\* \(openai\): processes data in US, may keep inputs and outputs/);
  });
});
