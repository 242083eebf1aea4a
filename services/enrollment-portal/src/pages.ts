import type { PortalSessionView } from '@tollgate/contracts';
import { html, raw, type Html } from './html.js';
import type { FailureMessage } from './failure-messages.js';

/** What every page shows of the organisation (from the portal settings); absent while they cannot be read. */
export interface Chrome {
  organisationName: string;
  hasLogo: boolean;
}

const FALLBACK_CHROME: Chrome = { organisationName: 'VPN sign-in', hasLogo: false };

export function layout(chrome: Chrome | undefined, title: string, body: Html): string {
  const c = chrome ?? FALLBACK_CHROME;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title} – ${c.organisationName}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header>${c.hasLogo ? html`<img src="/logo" alt="${c.organisationName} logo">` : ''}<p>${c.organisationName}</p></header>
<main>
${body}
</main>
<footer><p>Set up the authenticator app for your VPN sign-in.</p></footer>
</body>
</html>
`.text;
}

function csrfField(token: string): Html {
  return html`<input type="hidden" name="csrf" value="${token}">`;
}

function codeInput(id: string, name: string, label: string, hint: string): Html {
  return html`<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${hint}</p>
<input type="text" id="${id}" name="${name}" inputmode="numeric" pattern="[0-9]{6,8}" minlength="6" maxlength="8" autocomplete="one-time-code" required aria-describedby="${id}-hint">`;
}

function problem(message: string | undefined): Html | '' {
  return message ? html`<p class="error" role="alert">${message}</p>` : '';
}

export function landingPage(options: { oidc: boolean; links: boolean }): Html {
  return html`<div class="card">
<h1>Set up your VPN authenticator</h1>
<p>Your VPN sign-in needs your password and a six-digit code from an authenticator app on your phone (such as Microsoft Authenticator). Here you connect the app to your account.</p>
${
  options.oidc
    ? html`<form method="get" action="/signin"><button type="submit">Sign in with Microsoft</button></form>
<p class="hint">You will sign in with your work account, including its multi-factor step.</p>`
    : html`<p>Signing in with Microsoft is not available here.</p>`
}
</div>
${
  options.links
    ? html`<div class="card"><h2>Got an enrolment link?</h2><p>If your IT helpdesk sent you a personal enrolment link, open that link instead: it takes you straight to your account.</p></div>`
    : ''
}`;
}

export function failurePage(failure: FailureMessage): Html {
  return html`<div class="card">
<h1>${failure.title}</h1>
<p class="error" role="alert">${failure.message}</p>
${failure.startAgain ? html`<a class="button" href="/">Start again</a>` : ''}
</div>`;
}

export function linkPasswordPage(options: { upn: string; action: string; csrf: string; error?: string }): Html {
  return html`<div class="card">
<h1>Confirm it is you</h1>
${problem(options.error)}
<p>This enrolment link is for:</p>
<p><strong>${options.upn}</strong></p>
<form method="post" action="${options.action}">
${csrfField(options.csrf)}
<label for="password">Your work account password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">Continue</button>
</form>
</div>`;
}

function signOutForm(csrf: string): Html {
  return html`<form class="inline" method="post" action="/signout">${csrfField(csrf)}<button type="submit" class="secondary">Sign out</button></form>`;
}

export function enrolPage(options: { view: PortalSessionView; allowReplace: boolean; csrf: string; error?: string }): Html {
  const { view } = options;
  const who = html`<p>Signed in as <strong>${view.displayName || view.upn}</strong>${view.displayName ? html` (${view.upn})` : ''}.</p>`;
  if (view.seedShown)
    return confirmPage({ csrf: options.csrf, notice: 'seed_already_shown', ...(options.error ? { error: options.error } : {}) });
  if (view.hasActiveToken && !options.allowReplace) {
    return html`<div class="card"><h1>You already have an authenticator</h1>${who}
<p>Your account already has an active authenticator, and replacing it here is switched off. Ask your IT helpdesk to reset it.</p>
${signOutForm(options.csrf)}</div>`;
  }
  return html`<div class="card">
<h1>${view.hasActiveToken ? 'Replace your authenticator' : 'Set up your authenticator'}</h1>
${who}
${problem(options.error)}
<p>Have your phone ready with an authenticator app installed. On the next page you will see a QR code to scan with it. The code is shown only once.</p>
<form method="post" action="/enrol/start">
${csrfField(options.csrf)}
${
  view.hasActiveToken
    ? codeInput(
        'current-code',
        'currentCode',
        'Code from your current authenticator',
        'Your account already has an authenticator: enter the code it shows now to replace it.',
      )
    : ''
}
<button type="submit">Show my QR code</button>
</form>
${signOutForm(options.csrf)}
</div>`;
}

/** The seed in groups of four characters, as it is typed into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

export function qrPage(options: {
  svg: string;
  secret: string;
  issuer: string;
  account: string;
  digits: number;
  period: number;
  csrf: string;
}): Html {
  return html`<div class="card">
<h1>Scan this QR code</h1>
<p>Open your authenticator app, choose to add an account and scan the code. It is shown only this once.</p>
<figure>${raw(options.svg)}<figcaption class="hint">QR code for ${options.issuer}: ${options.account}</figcaption></figure>
<h2>Cannot scan it?</h2>
<p>Add the account by hand with this key (time-based, ${options.digits} digits, every ${options.period} seconds):</p>
<p class="secret">${groupSecret(options.secret)}</p>
<dl><dt>Issuer</dt><dd>${options.issuer}</dd><dt>Account</dt><dd>${options.account}</dd></dl>
</div>
${confirmForm(options.csrf)}`;
}

function confirmForm(csrf: string, error?: string): Html {
  return html`<div class="card">
<h2>Enter the first code</h2>
${problem(error)}
<form method="post" action="/enrol/confirm">
${csrfField(csrf)}
${codeInput('code', 'code', 'Code shown in your app', 'Six digits, from the account you just added.')}
<button type="submit">Finish</button>
</form>
</div>`;
}

export function confirmPage(options: { csrf: string; notice?: 'seed_already_shown'; error?: string }): Html {
  return html`${
    options.notice
      ? html`<div class="card"><h1>The QR code was already shown</h1><p>For your security the QR code is shown only once. If you scanned it, enter the code your app shows below. If not, sign out and start again to get a new one.</p>${signOutForm(options.csrf)}</div>`
      : html`<h1>Finish setting up</h1>`
  }
${confirmForm(options.csrf, options.error)}`;
}

export function successPage(options: { upn: string; replaced: boolean }): Html {
  return html`<div class="card">
<h1>Your authenticator is set up</h1>
<p class="success" role="status">${options.replaced ? 'Your new authenticator replaced the old one, which no longer works.' : 'Your authenticator is now active.'}</p>
<p>When your VPN asks for a password for <strong>${options.upn}</strong>, type your password followed directly by the six-digit code your app shows (no space).</p>
<p>You can close this page.</p>
</div>`;
}
