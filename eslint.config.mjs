// ESLint 9 flat configuration, in the spirit of the JupyterLab extension
// template: typescript-eslint's recommended rules, React and the rules of
// hooks for the frontend, prettier owning the layout (eslint-config-prettier
// turns off every rule that would fight it; prettier runs on its own).
//
//   npm run lint        eslint + prettier --check + stylelint, fixes nothing
//   npm run lint:fix    the same, fixing what can be fixed
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The engine's rooms (folders of src/service/engine) and the rooms each may
 * import. Every room may import src/core, Node, the AWS SDK and the engine's
 * top-level config.ts, version.ts and peers.ts; none imports engine/index.ts
 * (the front door of http/ and cli/), http/ or cli/. Kept in step with the
 * table in docs/architecture.md.
 */
const ENGINE_ROOMS = {
  jobs: [],
  local: [],
  s3: ['jobs'],
  transfer: ['s3', 'jobs', 'local'],
  ops: ['s3', 'jobs', 'local', 'transfer'],
  read: ['s3', 'transfer']
};

/** The `no-restricted-imports` configurations enforcing ENGINE_ROOMS, one per room and one for the top level. */
function engineRooms() {
  const rooms = Object.keys(ENGINE_ROOMS);
  const noDoors = { group: ['**/http/*', '**/cli/*'], message: 'The engine has no HTTP and no CLI in it.' };
  const restrict = (files, ignores, patterns) => ({
    files,
    ignores: ['**/__tests__/**', ...ignores],
    rules: { 'no-restricted-imports': ['error', { paths: ['node:http', 'http'], patterns: [noDoors, ...patterns] }] }
  });
  const perRoom = rooms.map(room => {
    const allowed = ENGINE_ROOMS[room];
    const barred = rooms.filter(r => r !== room && !allowed.includes(r));
    const may = allowed.length > 0 ? allowed.map(r => `${r}/`).join(', ') : 'no other room';
    return restrict(
      [`src/service/engine/${room}/**/*.ts`],
      [],
      [
        { group: ['../index', '../index.ts'], message: 'engine/index.ts is the front door of http/ and cli/ only.' },
        ...(barred.length > 0
          ? [{ group: barred.map(r => `../${r}/*`), message: `${room}/ may import ${may} (see ENGINE_ROOMS).` }]
          : [])
      ]
    );
  });
  // config.ts, version.ts, peers.ts: below every room. index.ts, the front door, imports them all.
  const top = restrict(
    ['src/service/engine/*.ts'],
    ['src/service/engine/index.ts'],
    [{ group: rooms.map(r => `./${r}/*`), message: "The engine's top-level files import no room." }]
  );
  // First the whole engine (a folder not in ENGINE_ROOMS too), then what each room adds.
  return [restrict(['src/service/engine/**/*.ts'], [], []), top, ...perRoom];
}

export default tseslint.config(
  {
    // Built, installed or generated files, and what tools write.
    ignores: [
      'lib/',
      'jupyterlab_eos/labextension/',
      'jupyterlab_eos/service/',
      '**/node_modules/',
      '.venv/',
      '.demo/',
      'coverage/',
      'ui-tests/test-results/',
      'ui-tests/playwright-report/',
      'playwright-report/',
      'test-results/',
      'bench/results/',
      'bench/.cache/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Before our rules: it turns `curly` off, which with 'all' never fights prettier.
  prettier,
  {
    // Everything we write.
    rules: {
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'prefer-const': 'error',
      // Named function expressions stay: React.memo(function ItemRow(...)) names the component.
      'prefer-arrow-callback': ['error', { allowNamedFunctions: true }],
      'no-var': 'error',
      '@typescript-eslint/no-unused-vars': ['warn', { args: 'none', ignoreRestSiblings: true, caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      // Namespaces carry the IOptions of a class, as JupyterLab does.
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-use-before-define': 'off'
    }
  },
  {
    // The frontend: React function components with hooks.
    files: ['src/lab/**/*.{ts,tsx}'],
    ...react.configs.flat.recommended,
    languageOptions: {
      ...react.configs.flat.recommended.languageOptions,
      globals: globals.browser
    },
    plugins: { ...react.configs.flat.recommended.plugins, 'react-hooks': reactHooks },
    settings: { react: { version: '18.2' } },
    rules: {
      ...react.configs.flat.recommended.rules,
      'react/prop-types': 'off',
      // React is imported as a namespace (`import * as React`) everywhere.
      'react/react-in-jsx-scope': 'off',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // JupyterLab's convention, which src/lab follows: interfaces start with I.
      // (src/core and src/service name their API shapes without it.)
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'interface', format: ['PascalCase'], custom: { regex: '^I[A-Z]', match: true } }
      ]
    }
  },
  {
    // JupyterLab plugin lists are typed JupyterFrontEndPlugin<any>[].
    files: ['src/lab/index.ts', 'src/lab/plugins.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    // The Node service and the pure core.
    files: ['src/service/**/*.ts', 'src/core/**/*.ts'],
    languageOptions: { globals: globals.node }
  },
  // Two front doors onto one engine: src/service/http (the HTTP service) and
  // src/service/cli (the `eos` command). The engine knows neither, and
  // neither door reaches into the other. Inside the engine, each room imports
  // only the rooms below it (ENGINE_ROOMS; docs/architecture.md draws it).
  ...engineRooms(),
  {
    files: ['src/service/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/*'], message: 'The HTTP service does not reach into the command line.' },
            {
              group: ['**/engine/*', '!**/engine/index'],
              message: 'Through the front door only: import from the engine (engine/index.ts).'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/service/cli/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/http/*'], message: 'The command line does not reach into the HTTP service.' },
            {
              group: ['**/engine/*', '!**/engine/index'],
              message: 'Through the front door only: import from the engine (engine/index.ts).'
            }
          ]
        }
      ]
    }
  },
  {
    // jest specs and their helpers.
    files: ['src/**/__tests__/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      // Loose shapes of HTTP answers and stubs are fine in tests,
      '@typescript-eslint/no-explicit-any': 'off',
      // and so is require() inside jest.isolateModules.
      '@typescript-eslint/no-require-imports': 'off'
    }
  },
  {
    // Galata specs: Node on the outside, the page inside page.evaluate callbacks.
    files: ['ui-tests/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },
  {
    // CommonJS configuration files and jest setup scripts.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    // Node ES modules: build scripts, the benchmarks, this file.
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node }
  },
  {
    // The benchmark's functions that run inside the page.
    files: ['bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  }
);
