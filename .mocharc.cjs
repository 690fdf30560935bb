// mocha runs TypeScript through tsx; the counting reporter prints the "N passed, N failed" line CI reads.
module.exports = {
  "node-option": ["import=tsx"],
  spec: ["test/**/*.test.ts"],
  reporter: "./test/support/counting-reporter.cjs",
  timeout: 20000,
  exit: true,
};
