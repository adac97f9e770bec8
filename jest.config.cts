/** Every jest project of the workspace, run in one jest process by `npm test`. */
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.cts', '<rootDir>/libs/*/jest.config.cts'],
  // Per-project testTimeout is ignored when projects run together; end-to-end suites need more than 5 s.
  testTimeout: 30_000,
};
