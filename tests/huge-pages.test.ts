/** The environment recloop gives the processes it starts: huge pages asked of glibc, the caller's tunables kept. */
import { describe, expect, it } from 'vitest';
import { HUGE_PAGES_TUNABLE, withHugePages } from '../src/core/huge-pages.js';

describe('huge pages', () => {
  it('adds the tunable, keeping the other variables and tunables', () => {
    expect(withHugePages({ PATH: '/bin' })).toEqual({ PATH: '/bin', GLIBC_TUNABLES: HUGE_PAGES_TUNABLE });
    expect(withHugePages({ GLIBC_TUNABLES: 'glibc.malloc.check=0' }).GLIBC_TUNABLES).toBe(`glibc.malloc.check=0:${HUGE_PAGES_TUNABLE}`);
  });

  it('leaves a caller\'s own choice of huge pages alone', () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.check=0' };
    expect(withHugePages(env)).toBe(env);
  });
});
