import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { filterRef, FleetService } from './service/FleetService';
import { errorResponder } from './service/publicErrors';

/** What the fleet router needs. */
export interface FleetRouterOptions {
  httpAuth: HttpAuthService;
  fleet: FleetService;
  logger: LoggerService;
}

/**
 * `GET /fleet?team=&system=`: every golden-path Go service the caller may
 * see and read the insights of, one summary row each (see
 * {@link FleetService}). `team` is a group (`platform-team` or
 * `group:default/platform-team`), `system` a system; both optional.
 */
export async function createFleetRouter(
  options: FleetRouterOptions,
): Promise<express.Router> {
  const { httpAuth, fleet, logger } = options;
  const router = Router();
  router.get('/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const team = filterRef(req.query.team, 'team');
    const system = filterRef(req.query.system, 'system');
    res.json(await fleet.getFleet({ credentials, team, system }));
  });
  router.use(errorResponder(logger));
  return router;
}
