/**
 * The webview infrastructure in a real workbench, through the test probe page
 * (webview/test-probe): the channel from both sides, the ready queue across a page reload, the
 * CSP, the elements, the codicon font, and the charts; then the page as a person sees it.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { WebviewPanels, type OpenPanel } from '../../../src/extension/webview/host';
import { Echo, Facts, Hello, type ProbeFacts } from '../../../webview/protocol/test-probe';
import { eventually, ui } from './ui';

const TITLE = 'CacheLens Probe';

describe('webview infrastructure (test probe page)', () => {
  let panels: WebviewPanels;
  let open: OpenPanel;
  let facts: ProbeFacts;

  before(async () => {
    const extension = vscode.extensions.getExtension('cachelens.cachelens');
    assert.ok(extension);
    panels = new WebviewPanels({ extensionUri: extension.extensionUri });
    open = panels.show({ name: 'test-probe', title: TITLE, initialState: { title: 'Probe <b>"x"</b>' } });
    open.channel.onRequest(Echo, ({ text }) => `pong:${text}`);
    // Posted before the page can possibly be listening: they must be queued, not lost.
    open.channel.notify(Hello, { text: 'one' });
    open.channel.notify(Hello, { text: 'two' });
    assert.equal(open.channel.isReady, false);
    await open.channel.whenReady();
    facts = await open.channel.request(Facts);
  });

  after(() => panels.dispose());

  it('delivers messages posted before "ready", in order', () => {
    assert.deepEqual(facts.hellos, ['one', 'two']);
  });

  it('answers requests both ways', () => {
    assert.equal(facts.echo, 'pong:ping', 'page -> host request');
    assert.ok(facts.line, 'host -> page request');
  });

  it('passes the initial state and escapes it into HTML', () => {
    assert.equal(facts.initialTitle, 'Probe <b>"x"</b>');
    assert.equal(facts.headingHtml, 'Probe &lt;b&gt;"x"&lt;/b&gt;');
  });

  it('runs under the strict CSP without a single violation', () => {
    assert.deepEqual(facts.cspViolations, []);
  });

  it('registers and renders @vscode-elements components, with the codicon font', () => {
    assert.deepEqual(facts.definedElements, ['vscode-button', 'vscode-badge', 'vscode-icon', 'vscode-table', 'vscode-progress-bar']);
    assert.equal(facts.buttonRendered, true);
    assert.equal(facts.codiconFontLoaded, true);
  });

  it('colors charts from the theme', () => {
    assert.match(facts.themeForeground, /^(#|rgb)/);
  });

  it('draws 20,000 points sharply on the device pixel ratio, downsampled per pixel', () => {
    const { line } = facts;
    assert.equal(line.canvasWidth, Math.round(line.cssWidth * line.devicePixelRatio));
    assert.equal(line.drawnPoints.length, 2);
    for (const n of line.drawnPoints) assert.ok(n > 100 && n <= (line.cssWidth + 1) * 4, `${n} points drawn for ${line.cssWidth} px`);
    assert.ok(line.coloredPixels > 2000, `only ${line.coloredPixels} colored pixels`);
    assert.equal(facts.bar.bars, 10);
  });

  it('exports the chart as a PNG', () => {
    assert.equal(facts.pngPrefix, 'data:image/png;base64,');
    assert.ok(facts.pngBytes > 5000, `${facts.pngBytes} bytes`);
  });

  it('reveals the open panel instead of opening a second one', () => {
    const again = panels.show({ name: 'test-probe', title: TITLE });
    assert.equal(again.created, false);
    assert.equal(again.panel, open.panel);
  });

  it('queues while the page is hidden and delivers after it is rebuilt', async () => {
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await eventually(() => !open.panel.visible && !open.channel.isReady, 'the probe panel to be hidden');
    open.channel.notify(Hello, { text: 'while hidden' });
    const ready = open.channel.whenReady();
    open.panel.reveal();
    await ready;
    const after = await open.channel.request(Facts);
    assert.deepEqual(after.hellos, ['while hidden'], 'a rebuilt page starts empty and gets the queued message');
    await vscode.commands.executeCommand('workbench.action.closeOtherEditors');
  });

  it('looks right in the browser: the page DOM and a screenshot', async function () {
    if (!ui.available) this.skip();
    const dom = await ui.webviewEval<{ button: string; canvases: number; bg: string }>(TITLE, `(() => ({
      button: document.querySelector('vscode-button').textContent.trim(),
      canvases: document.querySelectorAll('canvas.cachelens-chart').length,
      bg: getComputedStyle(document.body).backgroundColor,
    }))()`);
    assert.deepEqual({ button: dom.button, canvases: dom.canvases }, { button: 'Export PNG', canvases: 2 });
    assert.notEqual(dom.bg, 'rgba(0, 0, 0, 0)', 'the theme background applies');
    const file = await ui.screenshot('webview-probe');
    assert.match(file, /webview-probe\.png$/);
  });

  it('rejects requests still pending when the panel closes', async () => {
    const pending = open.channel.request(Facts);
    open.panel.dispose();
    await assert.rejects(pending, /closed/);
    assert.equal(panels.get('test-probe'), undefined);
  });
});
