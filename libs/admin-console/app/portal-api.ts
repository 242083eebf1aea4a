/** The admin API's routes for the self-service portal, through the console's one client. */
import { api, userPath } from './api-client.js';
import type { EnrollmentLinkView, IssuedLink, PortalSettingsInput, PortalSettingsView } from './portal-types.js';

export const getPortalSettings = () => api<PortalSettingsView>('GET', '/api/v1/settings/portal');

export const savePortalSettings = (input: PortalSettingsInput) => api<PortalSettingsView>('PUT', '/api/v1/settings/portal', input);

export const listEnrollmentLinks = (upn: string) =>
  api<{ items: EnrollmentLinkView[] }>('GET', userPath(upn, '/enrollment-links')).then((answer) => answer.items);

export const issueEnrollmentLink = (upn: string, body: { ttlHours?: number | string; sendEmail?: boolean }) =>
  api<IssuedLink>('POST', userPath(upn, '/enrollment-links'), body);

export const revokeEnrollmentLink = (upn: string, id: string) =>
  api<void>('DELETE', userPath(upn, `/enrollment-links/${encodeURIComponent(id)}`));
