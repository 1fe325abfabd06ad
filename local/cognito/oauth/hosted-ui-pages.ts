// The local hosted UI's pages: plain HTML, no script, every value escaped.
import { escapeHtml } from '../protocol/http-replies';

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

/** The sign-in form; it posts username and password to /login with the authorization request in the query. */
export function loginPage(authorizeParams: URLSearchParams, error?: string): string {
  const action = `/login?${authorizeParams.toString()}`;
  return page(
    'Sign in',
    [
      '<h1>Sign in</h1>',
      error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : '',
      `<form method="post" action="${escapeHtml(action)}">`,
      '  <label>Username <input type="text" name="username" autocomplete="username" required></label>',
      '  <label>Password <input type="password" name="password" autocomplete="current-password" required></label>',
      '  <button type="submit">Sign in</button>',
      '</form>',
    ].join('\n'),
  );
}

export function errorPage(message: string): string {
  return page(
    'Error',
    `<h1>An error was encountered with the requested page.</h1>\n<p id="error">${escapeHtml(message)}</p>`,
  );
}
