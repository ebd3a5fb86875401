/**
 * Huge pages for large allocations. Node allocates every ArrayBuffer (the impression log's
 * columns, feature rows, index rows, ONNX Runtime's tensors) through glibc's malloc, which maps
 * a large one afresh and returns it to the kernel when freed; each first touch of a 4 KiB page
 * then costs a page fault, ~12 µs on this project's 2-core virtual machines (a fresh 214 MiB
 * Float64Array took ~590 ms to touch, ~25 ms in huge pages). With the tunable below glibc asks
 * the kernel for 2 MiB pages where it maps memory (transparent huge pages, in the kernel's
 * default `madvise` mode): the large world's first 3 days ran 9% faster, with a third of the page
 * faults and 2% more peak memory (docs/PERFORMANCE.md). glibc reads it when a process starts, so it
 * is set where a simulating process starts: the `recloop` command's first line, and the
 * environment of every process recloop starts. Other C libraries ignore it.
 */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/** `env` with the tunable added to any GLIBC_TUNABLES it already sets. */
export function withHugePages(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.split(':').some((entry) => entry.startsWith('glibc.malloc.hugetlb='))) return env;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE };
}
