/** An event as it leaves the queue. */
export interface ScheduledEvent<T> {
  readonly time: number;
  /** Lower runs first among events at the same time. */
  readonly priority: number;
  /** Insertion counter: breaks remaining ties first-scheduled-first. */
  readonly seq: number;
  readonly payload: T;
}

/** Opaque token returned by scheduling; pass it back to cancel the event. */
export interface EventHandle {
  readonly seq: number;
}
