#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=128
// hearth's entry point: everything happens in the CLI; `hearth start` runs the daemon.
import { runCli } from "./cli/program.js";

const code = await runCli(process.argv);
process.exitCode = code;
