import { mockServices } from '@backstage/backend-test-utils';
import type express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter, type RouterOptions } from '../router';
import { DefaultOnboardingService } from '../service/OnboardingService';

/**
 * The insights router with the onboarding service on the same catalog,
 * permissions and insights; httpAuth, userInfo and logger default to
 * Backstage's mocks.
 */
export async function testRouter(
  options: Pick<RouterOptions, 'catalog' | 'permissions' | 'insights'> &
    Partial<Omit<RouterOptions, 'onboarding'>>,
): Promise<express.Router> {
  const { catalog, permissions, insights } = options;
  const logger = options.logger ?? mockServices.logger.mock();
  return createRouter({
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    ...options,
    logger,
    onboarding: DefaultOnboardingService.create({
      catalog,
      permissions,
      insights,
      auth: mockServices.auth(),
      logger,
    }),
  });
}

/**
 * GET with the path exactly as written: node:http sends it byte for byte,
 * where a WHATWG URL would normalize %2e%2e itself. The body is parsed as
 * JSON when it is JSON.
 */
export function rawGet(
  server: http.Server,
  path: string,
): Promise<{ status: number; body: any }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', c => (text += c));
        res.on('end', () => {
          let body: any = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      })
      .on('error', reject);
  });
}
