/**
 * Generate caching code in VS Code: "CacheLens: Generate Caching Code…" plus one command per
 * pattern, walking through quick picks (pattern, language/client with the workspace's own stack
 * first, entity, TTL, prefix, destination), and `cl-<pattern>` completions for the short forms.
 * All generation and detection is in src/core/snippets; this file only talks to the editor.
 */
import * as vscode from 'vscode';
import { CacheLensError } from '../../core/errors';
import { PATTERN_INFO } from '../../core/snippets/catalog';
import { detectStacksInDir, preferDetected, type DetectedStack } from '../../core/snippets/detect';
import { generateSnippet, listCombinations } from '../../core/snippets/generate';
import { pascal } from '../../core/snippets/options';
import { PATTERNS, type Combination, type Lang, type Pattern, type Serializer } from '../../core/snippets/types';

/** VS Code language ids that map to a generator language. */
const LANGUAGE_IDS: Record<string, Lang> = {
  typescript: 'typescript', typescriptreact: 'typescript', javascript: 'javascript', javascriptreact: 'javascript',
  python: 'python', go: 'go', java: 'java', csharp: 'csharp',
};
const VSCODE_LANGUAGE: Record<Lang, string> = { typescript: 'typescript', javascript: 'javascript', python: 'python', go: 'go', java: 'java', csharp: 'csharp' };

/** The command id of a pattern's own command, e.g. cachelens.generateCode.cacheAside. */
export function commandFor(pattern: Pattern): string {
  const p = pascal(pattern);
  return `cachelens.generateCode.${p[0].toLowerCase()}${p.slice(1)}`;
}

function settings() {
  const cfg = vscode.workspace.getConfiguration('cachelens.snippets');
  return {
    ttl: cfg.get<number>('defaultTtl', 300),
    entity: cfg.get<string>('defaultEntity', 'User'),
    serializer: cfg.get<Serializer>('serializer', 'json'),
    completions: cfg.get<boolean>('completions', true),
  };
}

/** Stacks of every workspace folder, read from their manifests (package.json, go.mod, ...). */
function detectWorkspace(): DetectedStack[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').flatMap((f) => detectStacksInDir(f.uri.fsPath));
}

async function pickPattern(): Promise<Pattern | undefined> {
  const picked = await vscode.window.showQuickPick(PATTERNS.map((p) => ({ label: p, description: PATTERN_INFO[p].title, detail: PATTERN_INFO[p].what[0], pattern: p })), {
    title: 'CacheLens: Generate Caching Code (1/5): pattern', placeHolder: 'Which caching pattern?', matchOnDescription: true, matchOnDetail: true,
  });
  return picked?.pattern;
}

async function pickCombination(pattern: Pattern): Promise<Combination | undefined> {
  const editorLang = LANGUAGE_IDS[vscode.window.activeTextEditor?.document.languageId ?? ''];
  const stacks = detectWorkspace();
  // The language of the open editor counts as detected too, after the manifests.
  if (editorLang && !stacks.some((s) => s.lang === editorLang)) stacks.push({ lang: editorLang, source: 'the open editor' });
  const ordered = preferDetected(listCombinations().filter((c) => c.pattern === pattern), stacks);
  const picked = await vscode.window.showQuickPick(ordered.map((c) => ({
    label: `${c.lang} · ${c.client}`,
    description: c.backend,
    detail: c.detectedIn ? `$(check) your workspace uses ${c.client} (${c.detectedIn})` : undefined,
    combo: c as Combination,
  })), { title: 'CacheLens: Generate Caching Code (2/5): language and client', placeHolder: 'Your stack is listed first when CacheLens found it' });
  return picked?.combo;
}

async function askOptions(): Promise<{ entity: string; ttl: number; prefix: string } | undefined> {
  const s = settings();
  const entity = await vscode.window.showInputBox({
    title: 'CacheLens: Generate Caching Code (3/5): entity', prompt: 'The cached type, e.g. User', value: s.entity,
    validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'Letters, digits and _ only, not starting with a digit'),
  });
  if (entity === undefined) return undefined;
  const ttlText = await vscode.window.showInputBox({
    title: 'CacheLens: Generate Caching Code (4/5): TTL', prompt: 'Seconds an entry lives in the cache', value: String(s.ttl),
    validateInput: (v) => (/^[1-9][0-9]*$/.test(v) ? undefined : 'A positive whole number of seconds'),
  });
  if (ttlText === undefined) return undefined;
  const prefix = await vscode.window.showInputBox({
    title: 'CacheLens: Generate Caching Code (5/5): key prefix', prompt: 'Every key the code writes starts with this',
    value: `${entity.toLowerCase()}:`,
    validateInput: (v) => (/^[A-Za-z0-9:._\-{}/|#@]*$/.test(v) ? undefined : 'Letters, digits and : . _ - { } / | # @ only'),
  });
  if (prefix === undefined) return undefined;
  return { entity, ttl: Number(ttlText), prefix };
}

/** Inserts at the cursor of the active editor, or saves a new file the user names, then opens it. */
async function place(code: string, fileName: string, lang: Lang, preset?: 'cursor' | vscode.Uri): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const choices = [
    ...(editor ? [{ label: '$(insert) Insert at cursor', description: vscode.workspace.asRelativePath(editor.document.uri), where: 'cursor' as const }] : []),
    { label: '$(new-file) Create a new file…', description: fileName, where: 'file' as const },
  ];
  const where = preset === 'cursor' ? choices[0] : preset ? choices[choices.length - 1]
    : choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: 'CacheLens: where should the code go?' });
  if (!where) return undefined;
  if (where.where === 'cursor' && editor) {
    await editor.edit((edit) => edit.insert(editor.selection.active, code));
    return editor.document.uri.toString();
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = preset instanceof vscode.Uri ? preset
    : await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined, saveLabel: 'Create' });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(code, 'utf8'));
  const doc = await vscode.workspace.openTextDocument(target);
  await vscode.languages.setTextDocumentLanguage(doc, VSCODE_LANGUAGE[lang]).then(undefined, () => doc);
  await vscode.window.showTextDocument(doc);
  return target.toString();
}

/**
 * Arguments that answer the prompts, so the palette, other extensions and tests share one code
 * path. Any answer left out is asked for.
 */
export interface GenerateArgs {
  pattern?: Pattern;
  lang?: Lang;
  client?: string;
  backend?: 'redis' | 'memcached';
  entity?: string;
  ttl?: number;
  prefix?: string;
  /** 'cursor' inserts into the active editor; a file URI writes a new file there. */
  target?: 'cursor' | vscode.Uri;
}

/** The combination the arguments name, the workspace's own stack first when they leave a choice. */
function combinationFor(pattern: Pattern, args: GenerateArgs): Combination | undefined {
  const stacks = detectWorkspace();
  const editorLang = LANGUAGE_IDS[vscode.window.activeTextEditor?.document.languageId ?? ''];
  if (editorLang && !stacks.some((s) => s.lang === editorLang)) stacks.push({ lang: editorLang, source: 'the open editor' });
  return preferDetected(listCombinations().filter((c) => c.pattern === pattern
    && (!args.lang || c.lang === args.lang) && (!args.client || c.client === args.client) && (!args.backend || c.backend === args.backend)), stacks)[0];
}

/** Generates and places the code; resolves with where it went, or undefined when cancelled. */
async function generateCommand(preset?: Pattern, args: GenerateArgs = {}): Promise<string | undefined> {
  try {
    const pattern = preset ?? args.pattern ?? await pickPattern();
    if (!pattern) return undefined;
    const scripted = args.lang !== undefined || args.client !== undefined;
    const combo = scripted ? combinationFor(pattern, args) : await pickCombination(pattern);
    if (!combo) {
      if (scripted) throw new CacheLensError('usage', `no ${pattern} template for ${args.lang ?? ''} ${args.client ?? ''} ${args.backend ?? ''}`.trim());
      return undefined;
    }
    const s = settings();
    const options = args.entity !== undefined || args.ttl !== undefined || args.prefix !== undefined
      ? { entity: args.entity ?? s.entity, ttl: args.ttl ?? s.ttl, prefix: args.prefix ?? `${(args.entity ?? s.entity).toLowerCase()}:` }
      : await askOptions();
    if (!options) return undefined;
    const snippet = generateSnippet({ ...combo, options: { ...options, serializer: s.serializer } });
    return await place(snippet.code, snippet.fileName, snippet.lang, args.target);
  } catch (e) {
    const message = CacheLensError.is(e) || e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`CacheLens: could not generate code: ${message}`);
    return undefined;
  }
}

/** `cl-<pattern>` completions: the generated code for the workspace's client in this language. */
class ShortFormCompletions implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const s = settings();
    const lang = LANGUAGE_IDS[document.languageId];
    if (!s.completions || !lang) return [];
    const word = document.getWordRangeAtPosition(position, /cl-[a-z-]*/);
    if (!word) return [];
    const stacks = detectWorkspace();
    return PATTERNS.flatMap((pattern) => {
      const candidates = preferDetected(listCombinations().filter((c) => c.pattern === pattern && c.lang === lang), stacks);
      const combo = candidates[0];
      if (!combo) return [];
      const snippet = generateSnippet({ ...combo, options: { ttl: s.ttl, entity: s.entity, serializer: s.serializer } });
      const item = new vscode.CompletionItem(`cl-${pattern}`, vscode.CompletionItemKind.Snippet);
      item.detail = `CacheLens: ${PATTERN_INFO[pattern].title} (${combo.client})`;
      item.documentation = new vscode.MarkdownString(PATTERN_INFO[pattern].what.join('\n\n'));
      item.range = word;
      // Plain text, not a SnippetString: generated code may contain `$`.
      item.insertText = snippet.code;
      return [item];
    });
  }
}

/** Registers the commands and completions; accepts the extension context or the feature container. */
export function register(target: vscode.ExtensionContext | { context: vscode.ExtensionContext }): void {
  const context = 'subscriptions' in target ? target : target.context;
  context.subscriptions.push(
    vscode.commands.registerCommand('cachelens.generateCode', (args?: GenerateArgs) => generateCommand(undefined, args)),
    ...PATTERNS.map((p) => vscode.commands.registerCommand(commandFor(p), (args?: GenerateArgs) => generateCommand(p, args))),
    vscode.languages.registerCompletionItemProvider(
      Object.keys(LANGUAGE_IDS).map((language) => ({ language })),
      new ShortFormCompletions(),
      '-',
    ),
  );
}
