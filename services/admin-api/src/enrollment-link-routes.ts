/**
 * `/api/v1/users/:username/enrollment-links`: links that let a user enrol their own token in the
 * self-service portal by proving their Entra password. The link (with its secret) is answered once,
 * at creation, and optionally mailed; only the SHA-256 of the secret is stored. A new link revokes
 * no older one: each stays valid until it expires, is used or is revoked here (a helpdesk may send
 * a second link while the first is still in someone's inbox).
 */
import { randomUUID } from 'node:crypto';
import { errorFields } from '@tollgate/logging';
import { z } from 'zod';
import { enrollmentLinkStatus, enrollmentLinks, fallbackCodeSettings, portalSettings, type EnrollmentLink } from '@tollgate/store';
import { badRequest, notFound } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { sendLinkEmail } from './enrollment-link-mail.js';
import { linkUrl, newLinkToken } from './portal/link-token.js';
import { loadUser } from './user-routes.js';

const CreateInput = z.strictObject({
  ttlHours: z.number().int('must be an integer').min(1, 'must be from 1 to 720').max(720, 'must be from 1 to 720').optional(),
  sendEmail: z.boolean().default(false),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function enrollmentLinkView(link: EnrollmentLink, nowMs = Date.now()) {
  return {
    id: link.id,
    createdAt: link.createdAt,
    createdBy: link.createdBy,
    expiresAt: link.expiresAt,
    usedAt: link.usedAt,
    revokedAt: link.revokedAt,
    status: enrollmentLinkStatus(link, nowMs),
  };
}

export function registerEnrollmentLinkRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'post',
    '/api/v1/users/:username/enrollment-links',
    async (req, res) => {
      const input = parseBody(CreateInput, req);
      const upn = await kit.upnParam(req);
      const user = await loadUser(kit, upn);
      const portal = await portalSettings(kit.db);
      if (!portal.linksEnabled)
        throw badRequest('linksEnabled', 'enrolment links are off in the portal settings (PUT /api/v1/settings/portal linksEnabled)');
      if (portal.publicUrl === '')
        throw badRequest('publicUrl', 'the portal settings have no publicUrl (PUT /api/v1/settings/portal publicUrl)');
      const ttlHours = input.ttlHours ?? portal.linkTtlHours;
      const { token, sha256 } = newLinkToken();
      const link = await enrollmentLinks.create(kit.db, {
        id: randomUUID(),
        upn,
        tokenSha256: sha256,
        createdBy: kit.actor,
        expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
      });
      const url = linkUrl(portal.publicUrl, token);
      let emailProblem: string | null = null;
      if (input.sendEmail) {
        const smtp = (await fallbackCodeSettings(kit.db)).email;
        emailProblem = await sendLinkEmail(kit.mailer, portal, smtp, { to: user.email, upn, url, hours: ttlHours }, (error) =>
          // Name and code only: a transport error may quote the address.
          kit.deps.logger.warn({ upn, linkId: link.id, err: errorFields(error) }, 'enrolment link email not sent'),
        );
      }
      const emailed = input.sendEmail && emailProblem === null;
      await kit.audit('user.enrollment_link.create', upn, {
        linkId: link.id,
        ttlHours,
        expiresAt: link.expiresAt.toISOString(),
        emailed,
        ...(emailProblem ? { emailProblem } : {}),
      });
      res.status(201).json({ id: link.id, url, expiresAt: link.expiresAt, emailed, ...(emailProblem ? { emailProblem } : {}) });
    },
    {
      permission: 'users.write',
      summary: 'Create an enrolment link for the user (its URL is shown once), optionally mailed to the address on file',
      description:
        'The URL is `<publicUrl>/l/<secret>`; only the SHA-256 of the secret is stored. A new link revokes no older one. ' +
        '`emailProblem` says why `emailed` is false when `sendEmail` was asked: `email_disabled` (portal email off or no SMTP server), ' +
        '`no_address` (the user has no email on file) or `send_failed`.',
      request: CreateInput,
      status: 201,
      responses: { 400: 'links are off (`linksEnabled`) or the portal has no `publicUrl`', 404: 'no such user' },
    },
  );

  routes.add(
    'get',
    '/api/v1/users/:username/enrollment-links',
    async (req, res) => {
      const upn = await kit.upnParam(req);
      await loadUser(kit, upn);
      const now = Date.now();
      res.json({ items: (await enrollmentLinks.list(kit.db, upn)).map((link) => enrollmentLinkView(link, now)) });
    },
    {
      permission: 'users.read',
      summary: "The user's enrolment links, newest first, with their status (never the URL)",
      responses: { 404: 'no such user' },
    },
  );

  routes.add(
    'delete',
    '/api/v1/users/:username/enrollment-links/:id',
    async (req, res) => {
      const upn = await kit.upnParam(req);
      await loadUser(kit, upn);
      const id = String(req.params.id ?? '');
      if (!UUID.test(id) || !(await enrollmentLinks.revoke(kit.db, upn, id.toLowerCase()))) throw notFound('id', 'no such enrolment link');
      await kit.audit('user.enrollment_link.revoke', upn, { linkId: id.toLowerCase() });
      res.status(204).end();
    },
    {
      permission: 'users.write',
      summary: "Revoke one of the user's enrolment links (it can no longer be used to sign in or to activate a token)",
      status: 204,
      responses: { 404: 'no such user or link' },
    },
  );
}
