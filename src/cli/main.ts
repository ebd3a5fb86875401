#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1:${GLIBC_TUNABLES} node --max-semi-space-size=64 --no-allocation-site-pretenuring
// The flags: core/young-generation.ts says why; the tunable: core/huge-pages.ts.
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2));
