/**
 * For tests inside the extension host: drive the workbench and look into webviews through the
 * runner's browser bridge (test/vscode/bridge.ts). Available under code-server (npm run
 * test:vscode); under @vscode/test-electron there is no browser to reach, `ui.available` is
 * false and a test that needs it says so and stops.
 */
import * as http from 'node:http';

const bridgeUrl = process.env.CACHELENS_TEST_BRIDGE;

function call<T>(body: Record<string, unknown>): Promise<T> {
  if (!bridgeUrl) return Promise.reject(new Error('no browser bridge: run the suite with `npm run test:vscode` (code-server)'));
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${bridgeUrl}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 90_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => {
        const reply = JSON.parse(text) as { ok: boolean; result?: T; error?: string };
        if (reply.ok) resolve(reply.result as T); else reject(new Error(`bridge ${String(body.op)}: ${reply.error}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`bridge ${String(body.op)} timed out`)));
    req.on('error', reject);
    req.end(data);
  });
}

export const ui = {
  available: bridgeUrl !== undefined,
  /** Runs a command through the command palette by its full title, e.g. "CacheLens: Show Log". */
  runCommand: (title: string, timeoutMs?: number) => call<null>({ op: 'runCommand', title, timeoutMs }),
  /** Evaluates a JavaScript expression in the page of the webview whose <title> is `title`. */
  webviewEval: <T>(title: string, expression: string, timeoutMs?: number) => call<T>({ op: 'webviewEval', title, expression, timeoutMs }),
  /** Evaluates a JavaScript expression in the workbench page. */
  workbenchEval: <T>(expression: string) => call<T>({ op: 'workbenchEval', expression }),
  press: (keys: string) => call<null>({ op: 'press', keys }),
  /** Saves a PNG of the whole workbench; into media/screenshots/ when SCREENSHOTS=1. */
  screenshot: (name: string) => call<string>({ op: 'screenshot', name }),
};

/** Polls `check` until it returns a truthy value or the time is up. */
export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
