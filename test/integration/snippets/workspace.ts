/**
 * A scratch project for generated code: files written by the real generator, a node_modules
 * link so they resolve ioredis, node-redis (`redis`) and memjs with the packages' own types,
 * and a strict TypeScript compile through the compiler API.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { generateSnippet, type SnippetRequest } from '../../../src/core/snippets/generate';
import { tempDir } from '../../harness/servers';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export class Workspace {
  readonly dir = tempDir('snippets');

  constructor() {
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(this.dir, 'node_modules'), 'dir');
  }

  /** Generates one file under `name` (the name must be unique in the workspace) and returns its path. */
  write(name: string, req: SnippetRequest): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, generateSnippet(req).code);
    return file;
  }

  /** Strict type check and emit of every .ts file; returns the diagnostics as text lines. */
  compileTypeScript(): string[] {
    const files = fs.readdirSync(this.dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(this.dir, f));
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, esModuleInterop: true,
      skipLibCheck: true, types: ['node'], outDir: path.join(this.dir, 'out'),
      typeRoots: [path.join(REPO_ROOT, 'node_modules/@types')],
    });
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
    return diagnostics.map((d) => {
      const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
      return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
  }

  /** Loads a compiled .ts (from out/) or a .js file as a CommonJS module. */
  load(name: string): Record<string, unknown> {
    const file = name.endsWith('.ts') ? path.join(this.dir, 'out', name.replace(/\.ts$/, '.js')) : path.join(this.dir, name);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Record<string, unknown>;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
