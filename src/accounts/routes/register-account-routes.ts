import type { App, AppContext } from '../../app-context.js';
import { registerOrganisationRoutes } from '../organisations/organisation-routes.js';
import { registerTerminationRoutes } from '../termination/termination-routes.js';
import { registerAccountSettingsRoutes } from './account-routes.js';
import { registerApiKeyRoutes } from './api-key-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerProfileRoutes } from './profile-routes.js';
import { registerRoutingPolicyRoutes } from './routing-policy-routes.js';
import { registerTwoFactorRoutes } from './two-factor-routes.js';

export function registerAccountRoutes(app: App, ctx: AppContext): void {
  registerAuthRoutes(app, ctx);
  registerAccountSettingsRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  registerApiKeyRoutes(app, ctx);
  registerTwoFactorRoutes(app, ctx);
  registerRoutingPolicyRoutes(app, ctx);
  registerOrganisationRoutes(app, ctx);
  registerTerminationRoutes(app, ctx);
}
