/**
 * The young generation a simulating process or thread runs with. A simulation allocates many
 * short-lived objects (candidates, slates, boxed draws): with V8's default 16 MiB semi-space it
 * scavenges several times a second and promotes objects that would have died young. 64 MiB made
 * the two-stage loop 10–25% faster, with less time in garbage collection (docs/PERFORMANCE.md).
 * V8 reads this size when a heap is made, so it is a flag of the process (the `recloop` command's
 * first line, `npm start`, sweep workers) or a limit of the thread (shard threads).
 */
export const SEMI_SPACE_MIB = 64;

/** The node flag for a process. */
export const SEMI_SPACE_FLAG = `--max-semi-space-size=${SEMI_SPACE_MIB}`;

/** A worker thread's young generation holding the same semi-spaces (V8 sizes it as three of them). */
export const YOUNG_GENERATION_MIB = 3 * SEMI_SPACE_MIB;
