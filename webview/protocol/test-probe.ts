/**
 * The protocol of the test probe page (webview/test-probe), which only the VS Code tests open to
 * check the webview infrastructure itself: queueing before ready, requests both ways, the CSP,
 * the elements, the codicon font and the charts.
 */
import { defineNotification, defineRequest } from './base';

export interface ProbeFacts {
  hellos: string[];
  initialTitle: string | null;
  headingHtml: string;
  cspViolations: string[];
  definedElements: string[];
  buttonRendered: boolean;
  codiconFontLoaded: boolean;
  themeForeground: string;
  echo: string;
  line: { canvasWidth: number; cssWidth: number; devicePixelRatio: number; drawnPoints: number[]; inputPoints: number; renderMs: number; coloredPixels: number };
  bar: { bars: number };
  pngPrefix: string;
  pngBytes: number;
}

/** host -> page: recorded in `hellos`, in arrival order. */
export const Hello = defineNotification<{ text: string }>('test-probe/hello');
/** host -> page: everything the page can observe about itself. */
export const Facts = defineRequest<void, ProbeFacts>('test-probe/facts');
/** page -> host: answered by the test with `pong:<text>`. */
export const Echo = defineRequest<{ text: string }, string>('test-probe/echo');
