/**
 * Which column of an external log holds what recloop's impression log needs. The `obd` layout
 * is the Open Bandit Dataset's; the `csv` layout is named column by column on the command line.
 */
export const IMPORT_FORMATS = ['obd', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface LogLayout {
  readonly format: ImportFormat;
  /** Item ids: whole numbers from 0. */
  readonly item: string;
  /** Slots; absent: every impression is at slot 0. */
  readonly position?: string;
  /** The file's first slot number (OBD counts from 1); recloop's log counts from 0. */
  readonly positionBase: 0 | 1;
  /** How many slots a slate has; positions beyond are refused. Absent: no upper bound. */
  readonly slots?: number;
  /** Click (0/1, true/false); or `reward`, a number, clicked meaning reward > 0. One of the two. */
  readonly click?: string;
  readonly reward?: string;
  /** The logging policy's probability of that item at that slot, in (0, 1]. */
  readonly propensity?: string;
  /** User ids (whole numbers from 0); absent: NULL in the log. */
  readonly user?: string;
  /** Date-times (UTC unless they name a zone) or numbers of days; absent: every row at time 0. */
  readonly time?: string;
  /** Slate ids (whole numbers): rows of one slate share one; absent: each row is its own slate. */
  readonly slate?: string;
  /** Columns copied beside the log's own, under their names. */
  readonly features: readonly string[];
}

/** The Open Bandit Dataset's men.csv/all.csv/women.csv: one row per impression, slots 1–3, no user id. */
export function obdLayout(header: readonly string[]): LogLayout {
  return {
    format: 'obd',
    item: 'item_id',
    position: 'position',
    positionBase: 1,
    slots: 3,
    click: 'click',
    propensity: 'propensity_score',
    time: 'timestamp',
    features: header.filter((name) => name.startsWith('user_feature_') || name.startsWith('user-item_affinity_')),
  };
}

/** The columns a layout reads, each with the option (or role) that names it, for the missing-column error. */
export function layoutColumns(layout: LogLayout): { readonly role: string; readonly column: string }[] {
  const roles: [string, string | undefined][] = [
    ['item', layout.item],
    ['position', layout.position],
    ['click', layout.click],
    ['reward', layout.reward],
    ['propensity', layout.propensity],
    ['user', layout.user],
    ['time', layout.time],
    ['slate', layout.slate],
  ];
  return [
    ...roles.flatMap(([role, column]) => (column === undefined ? [] : [{ role, column }])),
    ...layout.features.map((column) => ({ role: 'feature', column })),
  ];
}
