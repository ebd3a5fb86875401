#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1:${GLIBC_TUNABLES} node --max-semi-space-size=64 --no-allocation-site-pretenuring
// The flags: core/young-generation.ts says why; the tunable: core/huge-pages.ts.
import { shardThreadsAsked, startShardThreadsEarly } from '../parallel/shard-threads.js';

const args = process.argv.slice(2);
// A run's shard threads load their modules while this thread loads the command's (parallel/shard-threads.ts).
startShardThreadsEarly(shardThreadsAsked(args));
const { runCli } = await import('./cli.js');
process.exitCode = await runCli(args);
