// The browser tests' Chromium and server: Debian's /usr/bin/chromium through playwright-core
// (never a downloaded browser), started with the flags this machine needs (no sandbox as root,
// no background connections to a network it cannot reach), and the app over the fixture corpus
// on a free loopback port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { type LoadedApp, loadedApp } from './loaded-app.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Serves `ctx.app` on a free loopback port; resolves with the server and its base URL. */
export function listen(app: LoadedApp['app']): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

export interface BrowserApp {
  ctx: LoadedApp;
  base: string;
  browser: Browser;
  /** Stops what was started, in reverse order; safe to call after a failed start. */
  close(): Promise<void>;
}

/** The fixture corpus loaded, served, and a browser; if any step fails, what was started is stopped. */
export async function startBrowserApp(): Promise<BrowserApp> {
  let ctx: LoadedApp | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    server?.close();
    await ctx?.cleanup();
  };
  try {
    ctx = await loadedApp();
    const served = await listen(ctx.app);
    server = served.server;
    browser = await launchChromium();
    return { ctx, base: served.base, browser, close };
  } catch (err) {
    await close();
    throw err;
  }
}
