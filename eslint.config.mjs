// Lint holds the layer boundaries: the core, the CLI and the webview never import `vscode`.
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core, src/cli and webview/ must stay free of the vscode API (see docs/architecture.md).' }],
  }],
  'no-restricted-syntax': ['error', {
    selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
    message: 'src/core, src/cli and webview/ must stay free of the vscode API.',
  }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'test/golden/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-properties': ['error',
        { object: 'it', property: 'only', message: 'no focused tests' },
        { object: 'describe', property: 'only', message: 'no focused tests' },
        { object: 'it', property: 'skip', message: 'no skipped tests' },
        { object: 'describe', property: 'skip', message: 'no skipped tests' }],
    },
  },
  { files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'webview/**/*.ts'], rules: noVscode },
);
