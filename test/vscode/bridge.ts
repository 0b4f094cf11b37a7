/**
 * The browser bridge: a loopback HTTP endpoint through which tests running inside the extension
 * host ask the runner (which holds the Playwright page) to drive the workbench, evaluate code in
 * a webview's page, and take screenshots. Tests reach it through test/vscode/suite/ui.ts; the
 * runner passes its URL to code-server, and so to the extension host, in CACHELENS_TEST_BRIDGE.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';

export interface BridgeRequest {
  op: 'runCommand' | 'webviewEval' | 'workbenchEval' | 'screenshot' | 'press';
  title?: string;
  expression?: string;
  name?: string;
  keys?: string;
  timeoutMs?: number;
}

export interface Bridge {
  readonly url: string;
  readonly screenshots: string[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startBridge(page: Page, screenshotDir: string): Promise<Bridge> {
  const screenshots: string[] = [];
  const handle = async (req: BridgeRequest): Promise<unknown> => {
    const timeoutMs = req.timeoutMs ?? 20_000;
    switch (req.op) {
      case 'runCommand': return runCommand(page, need(req.title, 'title'), timeoutMs);
      case 'webviewEval': return (await findWebviewFrame(page, need(req.title, 'title'), timeoutMs)).evaluate(need(req.expression, 'expression'));
      case 'workbenchEval': return page.evaluate(need(req.expression, 'expression'));
      case 'press': await page.keyboard.press(need(req.keys, 'keys')); return null;
      case 'screenshot': {
        const name = need(req.name, 'name').replace(/[^a-z0-9_-]/gi, '-');
        fs.mkdirSync(screenshotDir, { recursive: true });
        const file = path.join(screenshotDir, `${name}.png`);
        await page.screenshot({ path: file });
        screenshots.push(file);
        return file;
      }
      default: throw new Error(`unknown bridge op ${String(req.op)}`);
    }
  };
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (c: string) => { body += c; });
    request.on('end', () => {
      const reply = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value ?? null));
      };
      Promise.resolve()
        .then(() => handle(JSON.parse(body) as BridgeRequest))
        .then((result) => reply(200, { ok: true, result }))
        .catch((e: unknown) => reply(200, { ok: false, error: e instanceof Error ? e.message : String(e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    screenshots,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function need(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`bridge request without ${name}`);
  return value;
}

/**
 * Runs a command the way a person does: F1, type its title, pick the row whose label is exactly
 * the title. The palette builds its list when it opens, and a new extension's commands appear a
 * few seconds after load, so it retries until the deadline.
 */
async function runCommand(page: Page, title: string, timeoutMs: number): Promise<null> {
  const deadline = Date.now() + timeoutMs;
  let lastSeen: string[] = [];
  while (Date.now() < deadline) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
    } catch {
      continue;
    }
    await input.fill(`>${title}`);
    await sleep(300);
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    lastSeen = await rows.evaluateAll((els) => els.map((el) => (el.querySelector('.label-name')?.textContent ?? el.textContent ?? '').trim()));
    const index = lastSeen.findIndex((label) => label === title);
    if (index >= 0) {
      await rows.nth(index).click();
      return null;
    }
    await sleep(700);
  }
  await page.keyboard.press('Escape');
  throw new Error(`command "${title}" did not appear in the command palette; last rows: ${JSON.stringify(lastSeen.slice(0, 8))}`);
}

/** A webview is two nested iframes; the inner one carries our page and its <title>. */
async function findWebviewFrame(page: Page, title: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  const titles = new Set<string>();
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        const t = await frame.title();
        titles.add(t);
        if (t === title) return frame;
      } catch { /* frame navigated away meanwhile */ }
    }
    await sleep(200);
  }
  throw new Error(`no webview titled "${title}" (seen: ${JSON.stringify([...titles].filter(Boolean))})`);
}
