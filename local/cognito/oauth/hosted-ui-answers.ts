// Answers every hosted-UI page gives alike: a refused authorization request, and a method the page does not take.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizeCheck } from './authorize-request';
import { errorPage } from './hosted-ui-pages';
import { redirect, sendHtml } from '../protocol/http-replies';

/** A refused check: a 400 page when there is no safe place to send the user back to, else the redirect. */
export function answerRefused(res: ServerResponse, check: Exclude<AuthorizeCheck, { ok: true }>): void {
  if ('page' in check) sendHtml(res, 400, errorPage(check.page));
  else redirect(res, check.redirect);
}

/** Answers 405 and returns false unless the request is a GET or a POST, the only methods a page takes. */
export function getOrPost(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'POST') return true;
  sendHtml(res, 405, errorPage('Use GET or POST.'), { allow: 'GET, POST' });
  return false;
}
