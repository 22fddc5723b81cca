import type { App, AppContext } from '../app-context.js';
import { requireStaff } from '../console/require-staff.js';
import { registerConsentRoutes } from './consent/consent-routes.js';
import { LEGAL_PAGE_CSP, renderInfoPage } from './legal/legal-page.js';
import { wantsJson } from './legal/legal-routes.js';
import { buildRecordOfProcessing, subProcessorsOf } from './record-of-processing.js';
import { recordOfProcessingMarkdown, subProcessorTable } from './render-record-of-processing.js';
import { registerPrivacyRequestRoutes } from './requests/privacy-request-routes.js';
import { registerLegalHoldRoutes } from './retention/legal-hold-routes.js';

/**
 * The record of processing (Art. 30, for the operator's staff) and the public sub-processor list,
 * both generated from the data map and the configured deployments at the moment they are asked for.
 */
export function registerPrivacyRoutes(app: App, ctx: AppContext): void {
  const staffOnly = { preHandler: requireStaff(ctx, 'privacy.records.read') };
  registerLegalHoldRoutes(app, ctx);
  registerPrivacyRequestRoutes(app, ctx);
  registerConsentRoutes(app, ctx);

  app.get('/api/privacy/ropa', { ...staffOnly, schema: { tags: ['privacy'] } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return buildRecordOfProcessing(ctx.config, ctx.gateway.deployments, ctx.now());
  });

  app.get('/console/privacy/record-of-processing', staffOnly, async (_request, reply) => {
    const record = buildRecordOfProcessing(ctx.config, ctx.gateway.deployments, ctx.now());
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', LEGAL_PAGE_CSP)
      .header('cache-control', 'no-store')
      .send(
        renderInfoPage({
          title: 'Record of processing activities',
          operatorName: ctx.config.OPERATOR_NAME,
          language: 'en',
          meta: `Art. 30 GDPR · generated ${record.generatedAt} from the data map and this instance's configuration`,
          bodyMarkdown: recordOfProcessingMarkdown(record),
        }),
      );
  });

  app.get('/api/privacy/sub-processors', { schema: { tags: ['privacy'] } }, async () => ({
    subProcessors: subProcessorsOf(ctx.gateway.deployments),
  }));

  app.get('/legal/sub-processors', async (request, reply) => {
    const processors = subProcessorsOf(ctx.gateway.deployments);
    reply.header('vary', 'Accept');
    if (wantsJson(request.headers.accept, undefined)) return { subProcessors: processors };
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', LEGAL_PAGE_CSP)
      .send(
        renderInfoPage({
          title: 'Sub-processors',
          operatorName: ctx.config.OPERATOR_NAME,
          language: 'en',
          meta: 'The AI providers this service sends requests to, as configured now',
          bodyMarkdown: [
            'When you send a request, its content goes to the AI provider that handles it. These are the providers in use, where they process data, and how a transfer outside the European Economic Area is safeguarded. Each generation also records which provider received it, shown with the generation.',
            '',
            subProcessorTable(processors),
          ].join('\n'),
        }),
      );
  });
}
