/**
 * V8 flags hearth runs with on the box: a 2 MiB young generation (V8's default is 16 MiB per
 * semi-space, which a 1 GB box pays for in RSS all day) and an old-space limit with headroom over
 * the ~40 MiB a 20 000-file library needs while indexing. Measured at 20 000 files: peak RSS 247
 * → 139 MiB, index time unchanged within noise. They can only be given on node's command line,
 * so every launcher carries them: the bin's shebang (services/main.ts), scripts/start,
 * etc/hearth.service and the benchmarks; test/project/node-flags.test.ts keeps them equal.
 */
export const NODE_FLAGS: readonly string[] = [
  "--max-semi-space-size=2",
  "--max-old-space-size=128",
];
