module.exports = {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  globalSetup: '<rootDir>/../../tools/database/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/database/jest-global-teardown.ts',
  // The run-wide secret scan after every test file (support/run-secret-scan.ts).
  setupFilesAfterEnv: ['<rootDir>/src/support/run-secret-scan.setup.ts'],
  testTimeout: 30000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/api-e2e',
};
