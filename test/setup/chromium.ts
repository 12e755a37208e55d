import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium; the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

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
