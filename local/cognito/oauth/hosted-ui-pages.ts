// The local hosted UI's pages: plain HTML, no script, every value escaped.
import { escapeHtml } from '../protocol/http-replies';

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

/**
 * The sign-in form; it posts username and password to /login with the authorization request in the query.
 * `signUp`: the pool lets people sign up, so the page links to /signup with the same request, as Cognito's does.
 */
export function loginPage(authorizeParams: URLSearchParams, error?: string, signUp = false): string {
  const action = `/login?${authorizeParams.toString()}`;
  return page(
    'Sign in',
    [
      '<h1>Sign in</h1>',
      errorLine(error),
      `<form method="post" action="${escapeHtml(action)}">`,
      '  <label>Username <input type="text" name="username" autocomplete="username" required></label>',
      '  <label>Password <input type="password" name="password" autocomplete="current-password" required></label>',
      '  <button type="submit">Sign in</button>',
      '</form>',
      signUp
        ? `<p>Need an account? <a id="sign-up" href="${escapeHtml(`/signup?${authorizeParams.toString()}`)}">Sign up</a></p>`
        : '',
    ].join('\n'),
  );
}

/** One input of the sign-up form: the username (or e-mail, or phone), or an attribute the pool requires. */
export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'tel';
  autocomplete?: string;
}

function inputOf(field: FormField, value: string | null): string {
  const autocomplete = field.autocomplete ? ` autocomplete="${escapeHtml(field.autocomplete)}"` : '';
  const shown = value ? ` value="${escapeHtml(value)}"` : '';
  return `<label>${escapeHtml(field.label)} <input type="${field.type}" name="${escapeHtml(field.name)}"${autocomplete}${shown} required></label>`;
}

/**
 * The sign-up form: it posts the username, the password and the required attributes to /signup with the
 * authorization request in the query. After an error the fields keep what was typed, the password excepted.
 */
export function signUpPage(
  authorizeParams: URLSearchParams,
  fields: readonly FormField[],
  typed?: URLSearchParams,
  error?: string,
): string {
  const query = authorizeParams.toString();
  return page(
    'Sign up',
    [
      '<h1>Sign up with a new account</h1>',
      errorLine(error),
      `<form method="post" action="${escapeHtml(`/signup?${query}`)}">`,
      ...fields.map((field) => `  ${inputOf(field, typed?.get(field.name) ?? null)}`),
      '  <label>Password <input type="password" name="password" autocomplete="new-password" required></label>',
      '  <button type="submit">Sign up</button>',
      '</form>',
      `<p>Already have an account? <a id="sign-in" href="${escapeHtml(`/login?${query}`)}">Sign in</a></p>`,
    ].join('\n'),
  );
}

export interface ConfirmPage {
  authorizeParams: URLSearchParams;
  /** The name the user signed up with; undefined when /confirm was opened without one (the form asks). */
  username: string | undefined;
  /** Where the code went (CodeDeliveryDetails), when known. */
  delivery?: { DeliveryMedium?: string; Destination?: string };
  /** Where the local stack keeps the code, for the person testing (Cognito has no such line). */
  mailbox?: string;
  notice?: string;
  error?: string;
}

/** The confirmation code's form: it posts username and code to /confirm; a second form asks for a new code. */
export function confirmPage(step: ConfirmPage): string {
  const query = step.authorizeParams.toString();
  const who =
    step.username === undefined
      ? '  <label>Username <input type="text" name="username" autocomplete="username" required></label>'
      : `  <input type="hidden" name="username" value="${escapeHtml(step.username)}">`;
  const by = step.delivery?.DeliveryMedium === 'SMS' ? 'text message' : 'e-mail';
  const sent = step.delivery?.Destination
    ? `We have sent a code by ${by} to ${step.delivery.Destination}. Enter it below to confirm your account.`
    : 'Enter the code we sent you to confirm your account.';
  return page(
    'Confirm your account',
    [
      '<h1>Confirm your account</h1>',
      `<p id="instruction">${escapeHtml(sent)}</p>`,
      step.mailbox
        ? `<p id="mailbox">Local stack: the code is at <a href="${escapeHtml(step.mailbox)}">${escapeHtml(step.mailbox)}</a>.</p>`
        : '',
      step.notice ? `<p role="status" id="notice">${escapeHtml(step.notice)}</p>` : '',
      errorLine(step.error),
      `<form method="post" action="${escapeHtml(`/confirm?${query}`)}">`,
      who,
      `  ${CODE_FIELD}`,
      '  <button type="submit">Confirm account</button>',
      '</form>',
      `<form method="post" action="${escapeHtml(`/resendcode?${query}`)}">`,
      who,
      '  <p>Didn\'t receive a code? <button type="submit" id="resend">Send a new code</button></p>',
      '</form>',
    ].join('\n'),
  );
}

/** A page that tells the user something and links on, e.g. to the sign-in page. */
export function noticePage(title: string, message: string, link: { href: string; text: string }): string {
  return page(
    title,
    [
      `<h1>${escapeHtml(title)}</h1>`,
      `<p role="status" id="notice">${escapeHtml(message)}</p>`,
      `<p><a id="next" href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`,
    ].join('\n'),
  );
}

/** The form of a sign-in step: it posts to /login with the authorization request, the Session and the step. */
function stepForm(authorizeParams: URLSearchParams, session: string, challenge: string, fields: string[]): string {
  return [
    `<form method="post" action="${escapeHtml(`/login?${authorizeParams.toString()}`)}">`,
    `  <input type="hidden" name="session" value="${escapeHtml(session)}">`,
    `  <input type="hidden" name="challenge" value="${escapeHtml(challenge)}">`,
    ...fields.map((field) => `  ${field}`),
    '</form>',
  ].join('\n');
}

function errorLine(error: string | undefined): string {
  return error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : '';
}

const CODE_FIELD =
  '<label>Code <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" required></label>';

export interface StepPage {
  authorizeParams: URLSearchParams;
  /** The sign-in's Session, which the form posts back. */
  session: string;
  error?: string;
}

/** NEW_PASSWORD_REQUIRED: the user signed in with a temporary password and chooses their own. */
export function newPasswordPage(step: StepPage, username: string): string {
  return page(
    'Change password',
    [
      '<h1>Change password</h1>',
      `<p>Please enter a new password for ${escapeHtml(username)}.</p>`,
      errorLine(step.error),
      stepForm(step.authorizeParams, step.session, 'NEW_PASSWORD_REQUIRED', [
        '<label>New password <input type="password" name="new_password" autocomplete="new-password" required></label>',
        '<label>Enter new password again <input type="password" name="confirm_password" autocomplete="new-password" required></label>',
        '<button type="submit">Send</button>',
      ]),
    ].join('\n'),
  );
}

/** SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP: the code of the authenticator app, or the one sent. */
export function mfaCodePage(step: StepPage, challenge: string, instruction: string): string {
  return page(
    'Multi-factor authentication',
    [
      '<h1>Multi-factor authentication</h1>',
      `<p id="instruction">${escapeHtml(instruction)}</p>`,
      errorLine(step.error),
      stepForm(step.authorizeParams, step.session, challenge, [CODE_FIELD, '<button type="submit">Sign in</button>']),
    ].join('\n'),
  );
}

/** SELECT_MFA_TYPE: which of the user's factors to use this time. */
export function selectMfaPage(step: StepPage, options: readonly { value: string; label: string }[]): string {
  return page(
    'Multi-factor authentication',
    [
      '<h1>Choose how to sign in</h1>',
      errorLine(step.error),
      stepForm(step.authorizeParams, step.session, 'SELECT_MFA_TYPE', [
        ...options.map(
          (o, i) =>
            `<label><input type="radio" name="answer" value="${escapeHtml(o.value)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(o.label)}</label>`,
        ),
        '<button type="submit">Continue</button>',
      ]),
    ].join('\n'),
  );
}

/**
 * MFA_SETUP with an authenticator app: the secret as text and as an otpauth URI (no QR code: that would need
 * an image service or a script), then the app's first code.
 */
export function totpSetupPage(step: StepPage, secret: string, otpauthUri: string): string {
  return page(
    'Set up an authenticator app',
    [
      '<h1>Set up an authenticator app</h1>',
      '<p>Multi-factor authentication is required. Add this secret key to your authenticator app, then enter the code it shows.</p>',
      `<p>Secret key: <code id="secret">${escapeHtml(secret)}</code></p>`,
      `<p>Or as a URI: <code id="otpauth">${escapeHtml(otpauthUri)}</code></p>`,
      errorLine(step.error),
      stepForm(step.authorizeParams, step.session, 'MFA_SETUP', [CODE_FIELD, '<button type="submit">Sign in</button>']),
    ].join('\n'),
  );
}

export function errorPage(message: string): string {
  return page(
    'Error',
    `<h1>An error was encountered with the requested page.</h1>\n<p id="error">${escapeHtml(message)}</p>`,
  );
}
