import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerAccountRoutes } from './accounts/routes/register-account-routes.js';
import type { App, AppContext } from './app-context.js';
import { registerConsoleRoutes } from './console/console-routes.js';
import { registerGatewayRoutes } from './gateway/gateway-routes.js';
import { handleError } from './http/error-handler.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerStrictJsonParser } from './http/json-body-parser.js';
import { loggerOptions } from './http/logger-options.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerWebApp, type WebApp } from './http/web-app.js';
import { registerBillingRoutes } from './ledger/routes/billing-routes.js';
import { MixgateError } from './lib/errors.js';
import { registerLegalRoutes } from './privacy/legal/legal-routes.js';
import { registerLegalVersionRoutes } from './privacy/legal/legal-version-routes.js';
import { registerPrivacyRoutes } from './privacy/privacy-routes.js';
import { registerStudioRoutes } from './studio/studio-routes.js';
import { registerSupportRoutes } from './support/support-routes.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/** Builds the HTTP application from the modules; `main.ts` owns the lifecycle around it. */
export async function buildApp(
  ctx: AppContext,
  options: {
    logStream?: NodeJS.WritableStream;
    /** The web app's build folder; default: dist/web when built; null: the plain landing page. */
    webRoot?: string | null;
  } = {},
): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(ctx.config.LOG_LEVEL, options.logStream),
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
    trustProxy: ctx.config.TRUST_PROXY,
    // A caller's own request id is kept when it looks like one, so logs can be correlated.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  let webApp: WebApp | undefined;
  app.setNotFoundHandler((request, reply) =>
    webApp?.serveClientRoute(request, reply)
      ? reply
      : handleError(
          new MixgateError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`),
          request,
          reply,
        ),
  );
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // With the settlement journal, a capture reaches the database just after its response was
    // sent: every request but a new generation waits for the captures already reported, so that
    // what it reads or changes (the generation, a balance, a refund) includes them.
    const settlements = ctx.gateway.settlements;
    if (settlements.pending > 0 && !(request.method === 'POST' && request.url.startsWith('/v1/'))) {
      await settlements.committed();
    }
  });
  registerStrictJsonParser(app);

  // The operator's analytics script runs (and reports to its origin) only once a visitor consented;
  // without one configured, no third-party origin is allowed at all.
  const analytics = ctx.config.ANALYTICS_SCRIPT_URL ? [new URL(ctx.config.ANALYTICS_SCRIPT_URL).origin] : [];
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...analytics],
        connectSrc: ["'self'", ...analytics],
        // Swagger UI and the legal pages use inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // data: and blob: are images and audio the web app holds only in the page (pasted
        // attachments, outputs generated with history off).
        imgSrc: ["'self'", 'data:', 'blob:', ...analytics],
        mediaSrc: ["'self'", 'blob:'],
        frameAncestors: ["'none'"],
      },
    },
    hsts: ctx.config.publicUrl.startsWith('https://'),
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Mixgate API',
        version: '0.1.0',
        description: 'Mixgate: one API over many AI providers.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (mg-…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'mg_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerHealthRoutes(app, ctx);
  webApp = await registerWebApp(app, ctx, options.webRoot);
  await registerLegalRoutes(app, ctx);
  registerLegalVersionRoutes(app, ctx);
  registerPrivacyRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  await registerGatewayRoutes(app, ctx);
  registerBillingRoutes(app, ctx);
  registerStudioRoutes(app, ctx);
  registerSupportRoutes(app, ctx);
  registerConsoleRoutes(app, ctx);
  return app;
}
