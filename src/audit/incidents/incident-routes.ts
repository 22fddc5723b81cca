import { sessionOf } from '../../accounts/authenticate.js';
import type { App, AppContext } from '../../app-context.js';
import { requireStaff } from '../../console/require-staff.js';
import {
  ZCreateIncidentBody,
  ZIncidentParams,
  ZIncidentsQuery,
  ZNotifyOrganisationsBody,
  ZUpdateIncidentBody,
} from './incident-routes.types.js';
import { getIncident, incidentJson, listIncidents } from './list-incidents.js';
import { notifyOrganisations } from './notify-organisations.js';
import { createIncident, updateIncident } from './record-incident.js';

/** The incident register (GDPR Art. 33(5)), for the operator's admin and privacy staff. */
export function registerIncidentRoutes(app: App, ctx: AppContext): void {
  const tags = ['console', 'privacy'];
  const staff = { preHandler: requireStaff(ctx, 'incidents.manage') };

  app.get(
    '/api/console/incidents',
    { ...staff, schema: { tags, querystring: ZIncidentsQuery } },
    async (request) => {
      const now = ctx.now();
      return {
        incidents: (await listIncidents(ctx.db, request.query)).map((incident) =>
          incidentJson(incident, now),
        ),
      };
    },
  );

  app.get(
    '/api/console/incidents/:id',
    { ...staff, schema: { tags, params: ZIncidentParams } },
    async (request) => ({
      incident: incidentJson(await getIncident(ctx.db, request.params.id), ctx.now()),
    }),
  );

  app.post(
    '/api/console/incidents',
    { ...staff, schema: { tags, body: ZCreateIncidentBody } },
    async (request, reply) => {
      const now = ctx.now();
      const incident = await createIncident(ctx.db, {
        ...request.body,
        reportedBy: sessionOf(request).user.id,
        now,
      });
      return reply.status(201).send({ incident: incidentJson(incident, now) });
    },
  );

  app.patch(
    '/api/console/incidents/:id',
    { ...staff, schema: { tags, params: ZIncidentParams, body: ZUpdateIncidentBody } },
    async (request) => {
      const now = ctx.now();
      const incident = await updateIncident(ctx.db, {
        id: request.params.id,
        changes: request.body,
        actorId: sessionOf(request).user.id,
        now,
      });
      return { incident: incidentJson(incident, now) };
    },
  );

  app.post(
    '/api/console/incidents/:id/notify-organisations',
    { ...staff, schema: { tags, params: ZIncidentParams, body: ZNotifyOrganisationsBody } },
    async (request) =>
      notifyOrganisations(ctx, {
        incidentId: request.params.id,
        message: request.body.message,
        organisationIds: request.body.organisationIds,
        staffId: sessionOf(request).user.id,
      }),
  );
}
