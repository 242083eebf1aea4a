/**
 * The self-service enrolment portal: the two ways in (Sign in with Microsoft, enrolment links),
 * what the portal shows (public URL, organisation, logo, the issuer apps show), whether a user may
 * replace a token, how long a link lasts, the Microsoft app registration (client secret
 * write-only, the redirect URI to register with a copy button, the MFA authentication context),
 * and the email that carries a link. One form, saved with one PUT; the API's complaint appears
 * beside the field it names. An auditor sees the same form locked, with no button.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LINK_EMAIL_PLACEHOLDERS, LINK_SUBJECT_PLACEHOLDERS, unknownPlaceholders } from '../../src/link-template.js';
import { redirectUri } from '../../src/redirect-uri.js';
import { asTypedNumber } from '../../src/typed-number.js';
import type { ApiFailure } from '../api-client.js';
import { CheckboxField } from '../components/choice-fields.js';
import { CopyButton } from '../components/copy-button.js';
import { LogoField } from '../components/logo-field.js';
import { Notice } from '../components/notice.js';
import { TextAreaField } from '../components/text-area-field.js';
import { ClientSecretField } from '../components/client-secret-field.js';
import { formLevel, TextField } from '../components/text-field.js';
import { getPortalSettings, savePortalSettings } from '../portal-api.js';
import type { PortalSettingsView } from '../portal-types.js';
import { can, type Session } from '../session.js';

const FIELDS = [
  'oidcEnabled',
  'linksEnabled',
  'publicUrl',
  'organisationName',
  'logo',
  'issuer',
  'allowReplace',
  'linkTtlHours',
  'clientId',
  'clientSecret',
  'mfaContext',
  'email.enabled',
  'email.subject',
  'email.template',
];

const listed = (names: readonly string[]) => names.map((p) => `{${p}}`).join(' ');

export function PortalSettingsPage(props: { session: Session }) {
  const [stored, setStored] = useState<PortalSettingsView | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    getPortalSettings().then(setStored, (error: ApiFailure) => setFailure(error));
  }, []);
  return (
    <section>
      <h1>Self-service portal</h1>
      <p class="hint">
        Where users enrol their authenticator app themselves: after a Microsoft sign-in that performed MFA, or with a one-time link issued
        on their user page and their Entra password.
      </p>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {stored && <PortalForm stored={stored} writable={can(props.session, 'admin')} onSaved={setStored} />}
    </section>
  );
}

function PortalForm(props: { stored: PortalSettingsView; writable: boolean; onSaved: (view: PortalSettingsView) => void }) {
  const s = props.stored;
  const [oidcEnabled, setOidcEnabled] = useState(s.oidcEnabled);
  const [linksEnabled, setLinksEnabled] = useState(s.linksEnabled);
  const [publicUrl, setPublicUrl] = useState(s.publicUrl);
  const [organisationName, setOrganisationName] = useState(s.organisationName);
  const [logo, setLogo] = useState<string | null>(s.logo);
  const [issuer, setIssuer] = useState(s.issuer);
  const [allowReplace, setAllowReplace] = useState(s.allowReplace);
  const [linkTtlHours, setLinkTtlHours] = useState(String(s.linkTtlHours));
  const [clientId, setClientId] = useState(s.clientId);
  const [clientSecret, setClientSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [mfaContext, setMfaContext] = useState(s.mfaContext);
  const [emailEnabled, setEmailEnabled] = useState(s.email.enabled);
  const [subject, setSubject] = useState(s.email.subject);
  const [template, setTemplate] = useState(s.email.template);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState(false);

  const show = (view: PortalSettingsView) => {
    setOidcEnabled(view.oidcEnabled);
    setLinksEnabled(view.linksEnabled);
    setPublicUrl(view.publicUrl);
    setOrganisationName(view.organisationName);
    setLogo(view.logo);
    setIssuer(view.issuer);
    setAllowReplace(view.allowReplace);
    setLinkTtlHours(String(view.linkTtlHours));
    setClientId(view.clientId);
    setMfaContext(view.mfaContext);
    setEmailEnabled(view.email.enabled);
    setSubject(view.email.subject);
    setTemplate(view.email.template);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    setSaved(false);
    try {
      const view = await savePortalSettings({
        oidcEnabled,
        linksEnabled,
        publicUrl,
        organisationName,
        logo,
        issuer,
        allowReplace,
        linkTtlHours: asTypedNumber(linkTtlHours),
        clientId,
        mfaContext,
        ...(removeSecret ? { clientSecret: null } : clientSecret ? { clientSecret } : {}),
        email: { enabled: emailEnabled, subject, template },
      });
      // The form shows what was stored: the API's canonical form of what was typed.
      show(view);
      setClientSecret('');
      setRemoveSecret(false);
      setSaved(true);
      props.onSaved(view);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  const callback = redirectUri(publicUrl);
  const unknownInSubject = unknownPlaceholders(subject, LINK_SUBJECT_PLACEHOLDERS);
  const unknownInTemplate = unknownPlaceholders(template, LINK_EMAIL_PLACEHOLDERS);
  const general = formLevel(failure, FIELDS);
  return (
    <form onSubmit={submit} noValidate>
      <section class="panel">
        <h2>Ways in</h2>
        <Locked writable={props.writable} legend="Ways in">
          <CheckboxField
            name="oidcEnabled"
            label="Sign in with Microsoft"
            checked={oidcEnabled}
            onChange={setOidcEnabled}
            failure={failure}
            hint="Users sign in with their Entra account; Entra must perform MFA (the authentication context below)."
          />
          <CheckboxField
            name="linksEnabled"
            label="Enrolment links"
            checked={linksEnabled}
            onChange={setLinksEnabled}
            failure={failure}
            hint="A one-time link from the user's page, opened with the user's Entra password."
          />
          <CheckboxField
            name="allowReplace"
            label="Users may replace their token"
            checked={allowReplace}
            onChange={setAllowReplace}
            failure={failure}
            hint="A user with an active token replaces it after typing a valid code of the current one."
          />
          <div class="inline-form">
            <TextField
              name="linkTtlHours"
              label="Links are valid for (hours)"
              value={linkTtlHours}
              inputMode="numeric"
              onInput={setLinkTtlHours}
              failure={failure}
              hint="From 1 to 720; a link can be given a shorter life when it is issued"
            />
          </div>
        </Locked>
      </section>
      <section class="panel">
        <h2>What users see</h2>
        <Locked writable={props.writable} legend="What users see">
          <div class="inline-form">
            <TextField
              wide
              name="publicUrl"
              label="Public URL"
              value={publicUrl}
              onInput={setPublicUrl}
              failure={failure}
              hint="Where users reach the portal, e.g. https://enrol.contoso.com"
            />
            <TextField
              name="organisationName"
              label="Organisation name"
              value={organisationName}
              onInput={setOrganisationName}
              failure={failure}
            />
            <TextField
              name="issuer"
              label="Issuer"
              value={issuer}
              onInput={setIssuer}
              failure={failure}
              hint="The name authenticator apps show beside the code; empty: the admin API's own (ADMIN_ISSUER)"
            />
          </div>
          <LogoField value={logo} onChange={setLogo} failure={failure} writable={props.writable} />
        </Locked>
      </section>
      <section class="panel">
        <h2>Microsoft app registration</h2>
        <dl class="facts redirect-uri">
          <div>
            <dt>Redirect URI to register</dt>
            <dd>
              {callback ? (
                <>
                  <code>{callback}</code> <CopyButton text={callback} label="Copy the redirect URI" />
                </>
              ) : (
                'shown once the public URL is an address'
              )}
            </dd>
          </div>
        </dl>
        <p class="hint">Add it as a Web redirect URI of the app registration in Entra.</p>
        <Locked writable={props.writable} legend="Microsoft app registration">
          <div class="inline-form">
            <TextField wide name="clientId" label="Application (client) ID" value={clientId} onInput={setClientId} failure={failure} />
            <TextField
              name="mfaContext"
              label="MFA authentication context"
              value={mfaContext}
              onInput={setMfaContext}
              failure={failure}
              hint="c1 to c99: the Conditional Access authentication context that requires MFA"
            />
          </div>
          <ClientSecretField
            label={s.clientSecretSet ? 'Replace the client secret' : 'Set the client secret'}
            isSet={s.clientSecretSet}
            writable={props.writable}
            value={clientSecret}
            onInput={setClientSecret}
            remove={removeSecret}
            onRemove={setRemoveSecret}
            failure={failure}
          />
        </Locked>
      </section>
      <section class="panel">
        <h2>Link email</h2>
        <Locked writable={props.writable} legend="Link email">
          <CheckboxField
            name="email-enabled"
            apiField="email.enabled"
            label="Send links by email"
            checked={emailEnabled}
            onChange={setEmailEnabled}
            failure={failure}
            hint="Through the mail server of the fallback codes settings, to the user's email address."
          />
          <TextField
            wide
            name="email-subject"
            apiField="email.subject"
            label="Subject"
            value={subject}
            onInput={setSubject}
            failure={failure}
            hint={`Placeholders: ${listed(LINK_SUBJECT_PLACEHOLDERS)} (not the link: subjects end up in more logs than messages)`}
          />
          {unknownInSubject.length > 0 && (
            <p class="warning-text" role="status">
              Not a placeholder of the subject: {listed(unknownInSubject)}
            </p>
          )}
          <TextAreaField
            name="email-template"
            apiField="email.template"
            label="Message"
            value={template}
            onInput={setTemplate}
            failure={failure}
            hint={`Placeholders: ${listed(LINK_EMAIL_PLACEHOLDERS)}; the message must contain {url}`}
          />
          {(unknownInTemplate.length > 0 || !template.includes('{url}')) && (
            <p class="warning-text" role="status">
              {unknownInTemplate.length > 0 && `Not a placeholder: ${listed(unknownInTemplate)}. `}
              {!template.includes('{url}') && 'The message has no {url}: the user would get no link.'}
            </p>
          )}
        </Locked>
      </section>
      {general && <Notice kind="error">{general.message}</Notice>}
      {saved && <Notice kind="success">The portal settings are saved.</Notice>}
      {props.writable && (
        <div class="actions">
          <button type="submit">Save portal settings</button>
        </div>
      )}
    </form>
  );
}

/** A panel's fields, locked for a role that may only read them. */
function Locked(props: { writable: boolean; legend: string; children: ComponentChildren }) {
  return (
    <fieldset disabled={!props.writable}>
      <legend class="visually-hidden">{props.legend}</legend>
      {props.children}
    </fieldset>
  );
}
