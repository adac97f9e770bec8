/** Every jest project of the workspace, run in one jest process by `npm test`. */
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.cts', '<rootDir>/libs/*/jest.config.cts'],
};
