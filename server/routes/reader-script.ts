// The script a reader reads in: the URL's `script`, else the one they chose last time (a cookie).
import type { Request, Response } from 'express';
import { scriptParam, SCRIPTS, type DisplayScript } from '../search/params.js';

const SCRIPT_COOKIE = 'tongwen_script';

/** The script of the reader's cookie, or `orig`. */
export function cookieScript(req: Request): DisplayScript {
  const cookie = /(?:^|;\s*)tongwen_script=([a-z]+)/.exec(req.headers.cookie ?? '')?.[1];
  return cookie && (SCRIPTS as readonly string[]).includes(cookie) ? (cookie as DisplayScript) : 'orig';
}

/** The reader's script, not remembered: for a page or fragment without a script switch of its own to set it. */
export function requestedScript(req: Request): DisplayScript {
  return typeof req.query.script === 'string' && req.query.script !== '' ? scriptParam(req.query.script) : cookieScript(req);
}

/** The reader's script for a page; a script in the URL is remembered (the cookie). */
export function readerScript(req: Request, res: Response): DisplayScript {
  const fromUrl = scriptParam(req.query.script);
  if (typeof req.query.script === 'string' && req.query.script !== '') {
    res.cookie(SCRIPT_COOKIE, fromUrl, { maxAge: 365 * 86_400_000, sameSite: 'lax', httpOnly: true });
    return fromUrl;
  }
  return cookieScript(req);
}
