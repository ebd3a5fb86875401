/**
 * Topic-spread candidates: the most clicked items of the topics a user has clicked least. The
 * other sources follow what the user already watches (two-tower, content) or what everyone
 * watches (popularity); this one deliberately reaches across the user's profile, the
 * diversity-augmented candidate set a counterfactual replay (src/replay) adds to a design.
 *
 * Per request the topics are ordered by the user's share of recent clicks, least first (ties:
 * the topic with more clicks overall first, then the lower id), and candidates are taken round
 * by round: each topic's best item, then each topic's second best, until k. Items belong to their
 * most prominent tag; only items clicked within the window are ranked, so a topic nobody clicks
 * contributes nothing.
 */
import { positiveCount, positiveDuration } from '../../settings/fields.js';
import type { TrainingLog } from '../../training/training-log.js';
import { UserHistory } from '../../training/user-history.js';
import type { PublicCatalog } from '../../world/public.js';
import { ItemTable } from '../item-table.js';
import type { Candidate, CandidateSource, RecRequest, SlateFeedback } from '../types.js';
import { candidateSource } from './component.js';
import { WindowClicks } from './window-clicks.js';

export interface TopicSpreadOptions {
  readonly k: number;
  /** Days of clicks that rank each topic's items. */
  readonly windowDays: number;
  /** Most recent clicks per user that say which topics they already watch. */
  readonly history: number;
}

export class TopicSpreadSource implements CandidateSource {
  readonly name = 'topic_spread';
  private readonly sourceNames: readonly string[] = [this.name];
  private readonly clicks = new WindowClicks({ pairs: false });
  private readonly items: ItemTable;
  private readonly history: UserHistory;
  /** Each topic's clicked items, most clicked first (ties: lower id), as shared candidates. */
  private byTopic: Candidate[][] = [];
  /** The topics with at least one ranked item, by id: each request orders a copy. */
  private rankedTopics: number[] = [];
  /** Clicks in the window per topic: the tie-break between topics a user has not clicked. */
  private topicClicks = new Float64Array(0);
  /** Per-request scratch: the user's recent clicks per topic, and their items. */
  private userShare = new Float64Array(0);
  private readonly recentItems: Int32Array;

  constructor(
    catalog: PublicCatalog,
    private readonly options: TopicSpreadOptions,
  ) {
    for (const [name, value] of [
      ['k', options.k],
      ['history', options.history],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`topic_spread source: ${name} must be a whole number of 1 or more, got ${value}`);
    }
    if (!(options.windowDays > 0)) throw new RangeError(`topic_spread source: window must be a positive number of days, got ${options.windowDays}`);
    this.items = new ItemTable(catalog);
    this.history = new UserHistory(options.history);
    this.recentItems = new Int32Array(options.history);
  }

  retrain(log: TrainingLog, now: number): void {
    const { clicks, items } = this;
    clicks.update(log, now - this.options.windowDays);
    items.sync();
    const topics = items.topicBound;
    const ids: number[][] = Array.from({ length: topics }, () => []);
    this.topicClicks = new Float64Array(topics);
    for (let id = 0; id < Math.min(clicks.itemBound, items.size); id++) {
      const count = clicks.count(id);
      if (count === 0 || items.topicStart[id + 1] === items.topicStart[id]) continue;
      const topic = items.topics[items.topicStart[id]];
      ids[topic].push(id);
      this.topicClicks[topic] += count;
    }
    this.byTopic = ids.map((list) =>
      list
        .sort((a, b) => clicks.count(b) - clicks.count(a) || a - b)
        .map((itemId) => ({ itemId, sources: this.sourceNames, sourceScore: clicks.count(itemId) })),
    );
    this.rankedTopics = this.byTopic.flatMap((list, topic) => (list.length > 0 ? [topic] : []));
    if (this.userShare.length < topics) this.userShare = new Float64Array(topics);
  }

  observe(feedback: SlateFeedback): void {
    if (feedback.clicked < 0) return;
    this.history.record(feedback.request.userId, feedback.slate.entries[feedback.clicked].itemId, feedback.request.time);
  }

  generate(requests: readonly RecRequest[]): Candidate[][] {
    this.items.sync();
    return requests.map((request) => this.forUser(request.userId));
  }

  /** The user's topics, least clicked first, then the candidates round by round. */
  private forUser(userId: number): Candidate[] {
    const { byTopic, topicClicks, userShare, items } = this;
    const topics = byTopic.length;
    userShare.fill(0, 0, topics);
    // A clicked item is in the catalog (synced above); an untagged one says nothing of topics. A
    // topic first tagged since the retrain falls past the table and is not counted.
    const recent = this.recentItems;
    for (let k = 0, n = this.history.recentInto(userId, recent); k < n; k++) {
      const itemId = recent[k];
      if (items.topicStart[itemId + 1] > items.topicStart[itemId]) userShare[items.topics[items.topicStart[itemId]]] += 1;
    }
    const order = this.rankedTopics.slice();
    order.sort((a, b) => userShare[a] - userShare[b] || topicClicks[b] - topicClicks[a] || a - b);
    const out: Candidate[] = [];
    for (let round = 0; out.length < this.options.k; round++) {
      let added = false;
      for (const topic of order) {
        const list = byTopic[topic];
        if (round >= list.length) continue;
        out.push(list[round]);
        added = true;
        if (out.length === this.options.k) break;
      }
      if (!added) break;
    }
    return out;
  }
}

/** The best items of the topics the user has clicked least: a candidate set widened on purpose. */
export const TOPIC_SPREAD_SOURCE = candidateSource({
  name: 'topic_spread',
  settings: { k: positiveCount.default(20), window: positiveDuration.prefault(3), history: positiveCount.default(20) },
  build: (config, ctx) => new TopicSpreadSource(ctx.recommender.catalog, { k: config.k, windowDays: config.window, history: config.history }),
});
