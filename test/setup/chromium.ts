import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's chromium; the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function apt(args: string[]): boolean {
  try {
    execFileSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs Debian's chromium when it is missing. Returns why it is unavailable (a skip reason), or
 * undefined when it is there. In CI (CI=true) a missing browser is an error, never a skip.
 */
export function ensureChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const root = process.getuid?.() === 0;
  if (root && !apt(['install', '-y', 'chromium'])) {
    if (apt(['update'])) apt(['install', '-y', 'chromium']);
  }
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `chromium is missing at ${CHROMIUM} and 'apt-get install -y chromium' ${root ? 'failed' : 'needs root'}; the browser tests of the report (file and page) are skipped.`;
  if (process.env['CI'] === 'true') throw new Error(`[test] ${reason} (never skipped in CI)`);
  return reason;
}

/** A headless chromium with a new empty profile; close the context to end it. */
export async function launchChromium(): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'logbook-chromium-'));
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** A report page opened by {@link openReportPage}. */
export interface OpenedReport {
  readonly page: Page;
  /** HTTP status of the page (0 for a file). */
  readonly status: number;
  /** Every request other than the page itself: each was refused. */
  readonly requests: string[];
  /** Uncaught errors and console errors of the page. */
  readonly errors: string[];
}

/**
 * Opens a report (a `file:` URL or the served page) with every other request refused and
 * recorded, and waits until it has drawn every view (`body[data-ready]`).
 */
export async function openReportPage(browser: BrowserContext, url: string, headers: Record<string, string> = {}): Promise<OpenedReport> {
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders(headers);
  const requests: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const response = await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, status: response?.status() ?? 0, requests, errors };
}
