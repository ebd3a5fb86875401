#!/usr/bin/env -S node --max-semi-space-size=64 --no-allocation-site-pretenuring
// The flags: core/young-generation.ts says why.
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2));
