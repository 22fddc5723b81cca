import type { App, AppContext } from '../../app-context.js';
import { registerOrganisationRoutes } from '../organisations/organisation-routes.js';
import { registerAccountSettingsRoutes } from './account-routes.js';
import { registerApiKeyRoutes } from './api-key-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerTwoFactorRoutes } from './two-factor-routes.js';

export function registerAccountRoutes(app: App, ctx: AppContext): void {
  registerAuthRoutes(app, ctx);
  registerAccountSettingsRoutes(app, ctx);
  registerApiKeyRoutes(app, ctx);
  registerTwoFactorRoutes(app, ctx);
  registerOrganisationRoutes(app, ctx);
}
