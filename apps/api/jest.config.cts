module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // Decorated classes (libs/contracts DTOs, Nest providers) read metadata as the app's bootstrap provides it.
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/../../tools/database/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/database/jest-global-teardown.ts',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/api',
};
