/** What the experiment benches share: their command-line options and their experiment. */

/** `--name value` from the command line, else the fallback. */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

/** Popularity against a one-day window and random slates, in twin worlds: the experiment the speed benches run. */
export function benchExperimentYaml(name: string, users: number, days: number, replicas: number): string {
  return `name: ${name}
seed: 1
horizon: { days: ${days} }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 20
  users: { count: ${users}, signups_per_day: 20 }
  items: { count: 2000, uploads_per_day: 40, creators: 200 }
recommender: { kind: popularity, slate_size: 10, random_startup: 1d }
replicas: ${replicas}
logs: { impressions: false }
experiment:
  control: popularity
  arms:
    popularity: {}
    short_window: { window: 1d }
    random: { kind: random }
`;
}
