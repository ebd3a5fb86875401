/** A request as the ranker's features read it: who asked, when, on what, and where in their history. */
import type { Device } from '../../world/public.js';

export interface RequestContext {
  readonly userId: number;
  readonly time: number;
  readonly hourOfDay: number;
  readonly device: Device;
  readonly pastSessions: number;
  readonly requestInSession: number;
}
