/**
 * Four jest projects:
 * - core: pure TypeScript, node environment;
 * - service: the Node service against a real moto S3 server that
 *   test/moto-global-setup.js starts on a free loopback port;
 * - versitygw: the store-level service specs again, against versitygw (a real
 *   S3 implementation, test/versitygw-global-setup.js), where moto is not S3;
 * - lab: frontend models in JupyterLab's jsdom environment.
 */
const { availableParallelism } = require('os');
const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

// Built or installed copies jest must not crawl (haste collisions, slow start).
const ignored = [
  '<rootDir>/.venv/',
  '<rootDir>/.demo/',
  '<rootDir>/lib/',
  '<rootDir>/jupyterlab_eos/',
  '<rootDir>/ui-tests/'
];
const common = { modulePathIgnorePatterns: ignored, testPathIgnorePatterns: ['/node_modules/', ...ignored] };

const tsTransform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: './tsconfig.test.json' }]
};

// The specs of what S3 itself decides: conditional writes (If-None-Match,
// If-Match, on PutObject and CompleteMultipartUpload), multipart, copy,
// listing encodings and odd keys, presign, imports from URLs (parts, ranges,
// aborts), requests signed with credentials fetched again mid-transfer. They
// run against moto and versitygw.
const storeSpecs = [
  'checksum',
  'content',
  'copy',
  'credentials',
  'list',
  'mkdir',
  'multipart',
  'transfer-resume',
  'names',
  'paging',
  'presign',
  'transfer-conflicts',
  'import-url',
  'import-url-ranges',
  'uploads',
  'uploads-checksum',
  'readhead',
  'sync-eos',
  's3locations',
  'transfer',
  'dataget',
  'dataput',
  'splitwalk',
  'listxml',
  'lost-create',
  'lost-answer'
];

// CLI specs whose guarantees rest on S3 itself (a move deletes only what it verified).
const cliStoreSpecs = ['cli-mv'];

const lab = jestJupyterLab(__dirname);
delete lab.reporters;
delete lab.coverageReporters;
delete lab.coverageDirectory;
delete lab.testRegex;
delete lab.testTimeout;

module.exports = {
  // One worker per core, at most 4 (jest's default leaves one core idle): most
  // service specs wait on S3 round trips. Each worker has its own moto and
  // versitygw (test/workers.js).
  maxWorkers: Math.min(4, availableParallelism()),
  // S3 round trips against moto can take seconds on a loaded 2-core machine.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'core',
      testEnvironment: 'node',
      transform: tsTransform,
      testMatch: ['<rootDir>/src/core/**/__tests__/*.spec.ts']
    },
    {
      ...common,
      displayName: 'service',
      testEnvironment: 'node',
      transform: tsTransform,
      testMatch: ['<rootDir>/src/service/**/__tests__/*.spec.ts'],
      globalSetup: '<rootDir>/test/moto-global-setup.js',
      globalTeardown: '<rootDir>/test/moto-global-teardown.js'
    },
    {
      ...common,
      displayName: 'versitygw',
      testEnvironment: 'node',
      transform: tsTransform,
      testMatch: [
        ...storeSpecs.map(name => `<rootDir>/src/service/__tests__/${name}.spec.ts`),
        ...cliStoreSpecs.map(name => `<rootDir>/src/service/cli/__tests__/${name}.spec.ts`)
      ],
      setupFiles: ['<rootDir>/test/versitygw-env.js'],
      globalSetup: '<rootDir>/test/versitygw-global-setup.js',
      globalTeardown: '<rootDir>/test/versitygw-global-teardown.js'
    },
    {
      ...lab,
      ...common,
      displayName: 'lab',
      testMatch: ['<rootDir>/src/lab/**/__tests__/*.spec.ts?(x)'],
      testEnvironmentOptions: {
        customExportConditions: ['node', 'require', 'default']
      },
      setupFiles: [...lab.setupFiles, '<rootDir>/test/jsdom-setup.js'],
      // Most @jupyterlab/* packages ship ES modules: babel-jest transforms them too.
      transformIgnorePatterns: lab.transformIgnorePatterns.map(p => p.replace('(?!', '(?!@jupyterlab/|'))
    }
  ]
};
