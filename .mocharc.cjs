// No default spec here, so `npx mocha test/x.test.ts` runs just that file; scripts/test passes
// the whole suite. mocha runs TypeScript through tsx; the counting reporter prints the "N passed, N failed" line CI reads.
module.exports = {
  "node-option": ["import=tsx"],
  reporter: "./test/support/counting-reporter.cjs",
  timeout: 20000,
  exit: true,
};
