/**
 * Chart colors and fonts come from the VS Code theme's CSS variables, read when a chart draws, so
 * a theme switch re-colors every chart.
 */

export interface ChartTheme {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  /** Series colors, in order. */
  palette: string[];
}

/** The charts palette VS Code defines for extensions (--vscode-charts-*), with dark fallbacks. */
const PALETTE_VARS: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

export function readTheme(element: Element = document.body): ChartTheme {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--vscode-editor-background', '#1e1e1e'),
    foreground: v('--vscode-charts-foreground', v('--vscode-foreground', '#cccccc')),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    grid: v('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    fontFamily: v('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(v('--vscode-font-size', '12')) || 12,
    palette: PALETTE_VARS.map(([name, fallback]) => v(name, fallback)),
  };
}

/** A color given as a CSS variable name (`--vscode-charts-red`) is resolved; others pass through. */
export function resolveColor(color: string | undefined, fallback: string, element: Element = document.body): string {
  if (!color) return fallback;
  if (color.startsWith('--')) return getComputedStyle(element).getPropertyValue(color).trim() || fallback;
  return color;
}
