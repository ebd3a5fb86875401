/**
 * The young generation a simulating process or thread runs with. A simulation allocates many
 * short-lived objects (candidates, slates, boxed draws): with V8's default 16 MiB semi-space it
 * scavenges several times a second and promotes objects that would have died young. 64 MiB made
 * the two-stage loop 10–25% faster, with less time in garbage collection (docs/PERFORMANCE.md).
 * V8 reads this size when a heap is made, so it is a flag of the process (the `recloop` command's
 * first line, `npm start`, sweep workers) or a limit of the thread (shard threads).
 *
 * Pretenuring is off for the same reason. V8 allocates straight into the old generation at an
 * allocation site whose objects it saw survive scavenges, and keeps doing so: at the large world's
 * batch windows (hundreds of requests, tens of thousands of candidates) sites of the serving path
 * were pretenured, and their objects, which die within the window, filled the old generation by
 * ~900 MB between mark-compacts (the large world's 3 days on two threads peaked at 5.3–5.8 GiB with it,
 * 4.3 GiB without). A flag of the process, which its threads share.
 */
export const SEMI_SPACE_MIB = 64;

/** The node flag for a process. */
const SEMI_SPACE_FLAG = `--max-semi-space-size=${SEMI_SPACE_MIB}`;

/** The node flag that stops V8 pretenuring allocation sites. */
const PRETENURING_FLAG = '--no-allocation-site-pretenuring';

/** Both flags, for a process that simulates. */
export const HEAP_FLAGS = [SEMI_SPACE_FLAG, PRETENURING_FLAG] as const;

/** A worker thread's young generation holding the same semi-spaces (V8 sizes it as three of them). */
export const YOUNG_GENERATION_MIB = 3 * SEMI_SPACE_MIB;
