/**
 * The non-learned candidate sources (content, fresh), seen-item exclusion and new-user routing,
 * on small hand-built catalogs whose right answers can be read off.
 */
import { describe, expect, it } from 'vitest';
import { ContentIndex } from '../src/recommender/sources/content-index.js';
import { ContentSource } from '../src/recommender/sources/content.js';
import { FreshSource } from '../src/recommender/sources/fresh.js';
import { NewUserRouter } from '../src/recommender/sources/new-user-router.js';
import { PopularitySource } from '../src/recommender/sources/popularity.js';
import { SeenItems } from '../src/recommender/sources/seen-items.js';
import type { Candidate, CandidateSource, RecRequest, SlateFeedback } from '../src/recommender/types.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicCatalog, type PublicItem } from '../src/world/public.js';

type ItemSpec = Omit<PublicItem, 'id' | 'lengthMinutes'> & { lengthMinutes?: number };

function catalogOf(specs: readonly ItemSpec[]): PublicCatalog {
  const catalog: PublicCatalog = new PublicRegistry<PublicItem>();
  for (const spec of specs) addItem(catalog, spec);
  return catalog;
}

function addItem(catalog: PublicCatalog, spec: ItemSpec): number {
  const id = catalog.size;
  catalog.add({ id, lengthMinutes: 5, ...spec });
  return id;
}

function request(slateId: number, userId: number, time = 1, pastSessions = 5): RecRequest {
  return { slateId, userId, time, hourOfDay: 12, device: 'mobile', requestInSession: 0, pastSessions };
}

/** The feedback of a one-item slate the user clicked. */
function click(userId: number, itemId: number, time = 1): SlateFeedback {
  return {
    request: request(0, userId, time),
    slate: { slateId: 0, entries: [{ itemId, source: 'test', propensity: 1 }] },
    clicked: 0,
    watchMinutes: 1,
    watchFraction: 0.5,
    completed: false,
    liked: false,
    survey: null,
  };
}

const ids = (list: readonly Candidate[]): number[] => list.map((c) => c.itemId);

describe('content source', () => {
  // 0: the clicked item; 1: same tags and creator; 2: shares tag 1 only; 3: same creator only;
  // 4: shares nothing; 5: shares tag 2 only (its secondary tag).
  const specs: ItemSpec[] = [
    { creatorId: 7, topics: [1, 2], uploadTime: -3 },
    { creatorId: 7, topics: [1, 2], uploadTime: -2 },
    { creatorId: 8, topics: [1], uploadTime: -2 },
    { creatorId: 7, topics: [5], uploadTime: -2 },
    { creatorId: 9, topics: [6], uploadTime: -1 },
    { creatorId: 9, topics: [2], uploadTime: -1 },
  ];

  it('finds items sharing tags or creator with the history, best overlap first, never the clicked item', () => {
    const source = new ContentSource(catalogOf(specs), { k: 10, history: 5 });
    source.observe(click(0, 0));
    const [list] = source.generate([request(0, 0)]);
    expect(ids(list)[0]).toBe(1);
    expect(new Set(ids(list))).toEqual(new Set([1, 2, 3, 5]));
    expect(list.every((c) => c.sources.length === 1 && c.sources[0] === 'content')).toBe(true);
    for (let i = 1; i < list.length; i++) expect(list[i - 1].sourceScore).toBeGreaterThanOrEqual(list[i].sourceScore);
    // The primary tag weighs more than the secondary one.
    expect(list.find((c) => c.itemId === 2)?.sourceScore).toBeGreaterThan(list.find((c) => c.itemId === 5)?.sourceScore ?? Infinity);
  });

  it('gives a user without clicks nothing, and skips feedback without a click', () => {
    const source = new ContentSource(catalogOf(specs), { k: 10, history: 5 });
    source.observe({ ...click(0, 0), clicked: -1 });
    expect(source.generate([request(0, 0), request(1, 3)])).toEqual([[], []]);
  });

  it('prefers the more recent upload among equal scores', () => {
    const catalog = catalogOf([
      { creatorId: 1, topics: [3], uploadTime: -9 },
      { creatorId: 2, topics: [3], uploadTime: -5 },
      { creatorId: 3, topics: [3], uploadTime: -1 },
      { creatorId: 4, topics: [3], uploadTime: -7 },
    ]);
    const source = new ContentSource(catalog, { k: 10, history: 5 });
    source.observe(click(0, 0));
    expect(ids(source.generate([request(0, 0)])[0])).toEqual([2, 1, 3]);
  });

  it('weighs recent clicks more than old ones', () => {
    const catalog = catalogOf([
      { creatorId: 1, topics: [1], uploadTime: -5 },
      { creatorId: 2, topics: [2], uploadTime: -5 },
      { creatorId: 3, topics: [1], uploadTime: -5 },
      { creatorId: 4, topics: [2], uploadTime: -5 },
    ]);
    const source = new ContentSource(catalog, { k: 10, history: 5 });
    source.observe(click(0, 0, 1));
    source.observe(click(0, 1, 2));
    expect(ids(source.generate([request(0, 0, 3)])[0])).toEqual([3, 2]);
    source.observe(click(0, 0, 4));
    expect(ids(source.generate([request(0, 0, 5)])[0])).toEqual([2, 3]);
  });

  it('reads only the newest items of each posting list (bounded work per request)', () => {
    const catalog = catalogOf([{ creatorId: 0, topics: [4], uploadTime: -40 }]);
    // Out of id order on purpose, as in the initial catalog: newest means upload time, not id.
    for (let i = 1; i <= 30; i++) addItem(catalog, { creatorId: i, topics: [4], uploadTime: -((i * 7) % 31) });
    const source = new ContentSource(catalog, { k: 30, history: 5, perList: 5, topCreators: 1 });
    source.observe(click(0, 0));
    const got = ids(source.generate([request(0, 0)])[0]);
    const newest = catalog
      .all()
      .slice(1)
      .sort((a, b) => b.uploadTime - a.uploadTime)
      .slice(0, 5)
      .map((item) => item.id);
    expect(got).toEqual(newest);
  });

  it('retrieves a brand-new item uploaded after the last retrain, never shown (incremental index)', () => {
    const catalog = catalogOf(specs);
    const source = new ContentSource(catalog, { k: 10, history: 5 });
    source.retrain();
    source.observe(click(0, 0));
    const before = ids(source.generate([request(0, 0, 1)])[0]);
    const fresh = addItem(catalog, { creatorId: 7, topics: [1, 2], uploadTime: 1.5 });
    const unrelated = addItem(catalog, { creatorId: 43, topics: [11], uploadTime: 1.6 });
    const after = ids(source.generate([request(1, 0, 2)])[0]);
    expect(before).not.toContain(fresh);
    expect(after).toContain(fresh);
    expect(after).not.toContain(unrelated);
    // Same tags and creator as the clicked item: it ties with item 1 and wins as the newer upload.
    expect(after.slice(0, 2)).toEqual([fresh, 1]);
  });

  it('rejects bad options with the option named', () => {
    const catalog = catalogOf(specs);
    expect(() => new ContentSource(catalog, { k: 0, history: 5 })).toThrow(/content source: k must be a whole number of 1 or more, got 0/);
    expect(() => new ContentSource(catalog, { k: 5, history: 2.5 })).toThrow(/history must be a whole number/);
    expect(() => new ContentSource(catalog, { k: 5, history: 5, perList: -1 })).toThrow(/perList/);
  });
});

describe('fresh source', () => {
  // Initial items have negative upload times in no particular id order.
  const initial: ItemSpec[] = [-10, -0.5, -3, -1.5, -0.2, -2.5].map((uploadTime, i) => ({ creatorId: i, topics: [0], uploadTime }));

  it('returns only items younger than max_age, newest first, up to k', () => {
    const source = new FreshSource(catalogOf(initial), { k: 10, maxAge: 2 });
    const [list] = source.generate([request(0, 0, 0)]);
    expect(ids(list)).toEqual([4, 1, 3]);
    expect(list.map((c) => c.sourceScore)).toEqual([-0.2, -0.5, -1.5]);
    expect(list.every((c) => c.sources.join() === 'fresh')).toBe(true);
    const [short] = new FreshSource(catalogOf(initial), { k: 2, maxAge: 2 }).generate([request(0, 0, 0)]);
    expect(ids(short)).toEqual([4, 1]);
  });

  it('follows each request time and picks up uploads added after construction', () => {
    const catalog = catalogOf(initial);
    const source = new FreshSource(catalog, { k: 10, maxAge: 1 });
    expect(ids(source.generate([request(0, 0, 0)])[0])).toEqual([4, 1]);
    const a = addItem(catalog, { creatorId: 9, topics: [1], uploadTime: 0.4 });
    const b = addItem(catalog, { creatorId: 9, topics: [1], uploadTime: 0.9 });
    const [at1, at2, atHalf] = source.generate([request(1, 0, 1), request(2, 0, 1.6), request(3, 0, 0.5)]);
    expect(ids(at1)).toEqual([b, a]);
    expect(ids(at2)).toEqual([b]);
    // An upload after the request time is not offered to that request.
    expect(ids(atHalf)).toEqual([a, 4, 1]);
  });

  it('rejects bad options', () => {
    expect(() => new FreshSource(catalogOf(initial), { k: 0, maxAge: 1 })).toThrow(/fresh source: k must be/);
    expect(() => new FreshSource(catalogOf(initial), { k: 3, maxAge: 0 })).toThrow(/fresh source: maxAge must be a positive/);
  });
});

/** Wraps a real source and records each batch it is asked for. */
class Recording implements CandidateSource {
  readonly calls: number[][] = [];
  readonly observed: SlateFeedback[] = [];
  retrains = 0;
  constructor(private readonly inner: CandidateSource) {}
  get name(): string {
    return this.inner.name;
  }
  generate(requests: readonly RecRequest[]): (readonly Candidate[])[] {
    this.calls.push(requests.map((r) => r.slateId));
    return this.inner.generate(requests);
  }
  observe(feedback: SlateFeedback): void {
    this.observed.push(feedback);
    this.inner.observe?.(feedback);
  }
  retrain(log: TrainingLog, now: number): void | Promise<void> {
    this.retrains += 1;
    return this.inner.retrain?.(log, now);
  }
}

describe('new-user router', () => {
  const specs: ItemSpec[] = Array.from({ length: 20 }, (_, i) => ({ creatorId: i % 4, topics: [i % 3, 3 + (i % 2)], uploadTime: i / 10 - 1 }));

  function build(until: number, seen?: SeenItems) {
    const catalog = catalogOf(specs);
    const popularity = new Recording(new PopularitySource(catalog, { k: 4, windowDays: 3, excludeSeen: false }));
    const content = new Recording(new ContentSource(catalog, { k: 4, history: 5 }));
    const fresh = new Recording(new FreshSource(catalog, { k: 4, maxAge: 0.5 }));
    const router = new NewUserRouter([popularity, content, fresh], popularity, { popularityUntilSessions: until, seen });
    return { router, popularity, content, fresh };
  }

  it('sends new users to popularity only and everyone else to every source, one call per source per batch', () => {
    const { router, popularity, content, fresh } = build(2);
    for (const user of [0, 1, 2, 3]) router.observe(click(user, 5 + user));
    const requests = [request(10, 0, 0.5, 0), request(11, 1, 0.5, 3), request(12, 2, 0.5, 1), request(13, 3, 0.5, 2)];
    const lists = router.generate(requests);

    expect(popularity.calls).toEqual([[10, 11, 12, 13]]);
    expect(content.calls).toEqual([[11, 13]]);
    expect(fresh.calls).toEqual([[11, 13]]);
    for (const r of [0, 2]) {
      expect(lists[r].length).toBeGreaterThan(0);
      expect(lists[r].every((c) => c.sources.join('+') === 'popularity')).toBe(true);
    }
    for (const r of [1, 3]) {
      const names = new Set(lists[r].flatMap((c) => c.sources));
      expect(names).toEqual(new Set(['popularity', 'content', 'fresh']));
      // Deduplicated, each item once with every source that produced it.
      expect(new Set(ids(lists[r])).size).toBe(lists[r].length);
    }
    // Every wrapped source sees the feedback once.
    expect([popularity, content, fresh].map((s) => s.observed.length)).toEqual([4, 4, 4]);
  });

  it('skips a source when no request of the batch is routed to it', () => {
    const { router, content, fresh } = build(2);
    router.generate([request(1, 0, 0.5, 0), request(2, 1, 0.5, 1)]);
    expect(content.calls).toEqual([]);
    expect(fresh.calls).toEqual([]);
  });

  it('with popularity_until_sessions = 0 routes nobody to popularity alone', () => {
    const { router, content } = build(0);
    router.generate([request(1, 0, 0.5, 0)]);
    expect(content.calls).toEqual([[1]]);
  });

  it('calls a new-user source that is not among the configured sources only for new users', async () => {
    const catalog = catalogOf(specs);
    const popularity = new Recording(new PopularitySource(catalog, { k: 3, windowDays: 3, excludeSeen: false }));
    const fresh = new Recording(new FreshSource(catalog, { k: 3, maxAge: 0.5 }));
    const router = new NewUserRouter([fresh], popularity, { popularityUntilSessions: 1 });
    const [a, b] = router.generate([request(1, 0, 0.5, 0), request(2, 1, 0.5, 1)]);
    expect(popularity.calls).toEqual([[1]]);
    expect(fresh.calls).toEqual([[2]]);
    expect(a.every((c) => c.sources.join() === 'popularity')).toBe(true);
    expect(b.every((c) => c.sources.join() === 'fresh')).toBe(true);
    await router.retrain(new TrainingLog(14), 1);
    expect([popularity.retrains, fresh.retrains]).toEqual([1, 1]);
  });

  it('drops items the user already clicked when given SeenItems, and forgets clicks older than the log window', async () => {
    const seen = new SeenItems();
    const { router } = build(0, seen);
    const before = router.generate([request(1, 0, 0.5)])[0];
    const shown = before[0].itemId;
    router.observe(click(0, shown, 0.5));
    expect(seen.has(0, shown)).toBe(true);
    expect(seen.has(1, shown)).toBe(false);
    expect(ids(router.generate([request(2, 0, 0.6)])[0])).not.toContain(shown);
    expect(ids(router.generate([request(3, 1, 0.6)])[0])).toContain(shown);
    await router.retrain(new TrainingLog(1), 1.4);
    expect(seen.has(0, shown)).toBe(true);
    await router.retrain(new TrainingLog(1), 1.6);
    expect(seen.has(0, shown)).toBe(false);
  });

  it('SeenItems.filter keeps the unclicked candidates in their order, wherever the clicked ones sit, and returns an untouched list as it is', () => {
    const seen = new SeenItems();
    const list = [5, 9, 2, 7, 4].map((itemId) => ({ itemId, sources: ['a'], sourceScore: 0 }));
    expect(seen.filter(0, list)).toBe(list);
    seen.record(0, 8, 0.1);
    expect(seen.filter(0, list)).toBe(list);
    seen.record(0, 5, 0.2);
    seen.record(0, 7, 0.3);
    seen.record(1, 4, 0.3);
    expect(ids(seen.filter(0, list))).toEqual([9, 2, 4]);
    expect(ids(seen.filter(1, list))).toEqual([5, 9, 2, 7]);
    seen.record(2, 9, 0.4);
    seen.record(2, 2, 0.4);
    expect(ids(seen.filter(2, list))).toEqual([5, 7, 4]);
    // Another user's filter in between leaves no marks behind.
    expect(ids(seen.filter(0, list))).toEqual([9, 2, 4]);
    expect(list.map((c) => c.itemId)).toEqual([5, 9, 2, 7, 4]);
  });

  it('rejects a bad threshold and an empty source list', () => {
    const catalog = catalogOf(specs);
    const popularity = new PopularitySource(catalog, { k: 3, windowDays: 3, excludeSeen: false });
    expect(() => new NewUserRouter([], popularity, { popularityUntilSessions: 1 })).toThrow(/at least one source/);
    expect(() => new NewUserRouter([popularity], popularity, { popularityUntilSessions: -1 })).toThrow(
      /popularityUntilSessions must be a whole number of 0 or more, got -1/,
    );
  });
});

describe('content index', () => {
  it('indexes only what was added since the last sync, keeping each posting list in upload order', () => {
    const catalog = catalogOf([
      { creatorId: 1, topics: [0, 1], uploadTime: -2 },
      { creatorId: 2, topics: [0], uploadTime: -9 },
      { creatorId: 1, topics: [1], uploadTime: -4 },
    ]);
    const index = new ContentIndex(catalog);
    expect(index.withTag(0)).toEqual([]);
    index.sync();
    expect(index.size).toBe(3);
    expect(index.withTag(0)).toEqual([1, 0]);
    expect(index.withTag(1)).toEqual([2, 0]);
    expect(index.byCreatorId(1)).toEqual([2, 0]);
    const late = addItem(catalog, { creatorId: 2, topics: [1], uploadTime: 0.3 });
    expect(index.withTag(1)).toEqual([2, 0]);
    index.sync();
    index.sync();
    expect(index.withTag(1)).toEqual([2, 0, late]);
    expect(index.byCreatorId(2)).toEqual([1, late]);
    expect(index.withTag(7)).toEqual([]);
  });
});
