/** The lines `recloop run` prints after a bandit run: the regret curve, the bound, the arms pulled most. */
import type { BanditRow } from './bandit-simulation.js';
import type { BanditSummary } from './summary.js';

/** Checkpoints printed from the regret curve. */
const CHECKPOINTS = 10;
/** Arms listed, most pulled first. */
const ARMS_SHOWN = 10;

export function banditReport(summary: BanditSummary, rows: readonly BanditRow[]): string[] {
  const lines: string[] = [];
  lines.push(`${'round'.padStart(10)} ${'regret'.padStart(10)} ${'regret/ln t'.padStart(12)} ${'reward rate'.padStart(12)} ${'best-arm share'.padStart(15)}`);
  const step = Math.max(1, Math.floor(rows.length / CHECKPOINTS));
  for (let i = step - 1; i < rows.length; i += step) {
    const r = rows[i];
    lines.push(`${String(r.round).padStart(10)} ${fmt(r.cumulative_regret).padStart(10)} ${fmt(r.regret_over_log_round).padStart(12)} ${fmt(r.reward_rate).padStart(12)} ${fmt(r.best_arm_share).padStart(15)}`);
  }
  const lr = summary.lai_robbins;
  lines.push('');
  lines.push(`final regret ${fmt(summary.regret)} after ${summary.rounds} rounds (${summary.policy}); reward ${fmt(summary.reward)}`);
  lines.push(
    `Lai–Robbins lower bound Σ Δ/KL(μ‖μ*) · ln T = ${fmt(lr.constant)} × ${fmt(Math.log(summary.rounds))} = ${fmt(lr.bound)}` +
      (lr.stationary ? `; regret / bound = ${fmt(lr.regret_to_bound)}` : ' (initial arms; arms are replaced, so it is only a reference)'),
  );
  lines.push('');
  lines.push(`${'arm'.padStart(6)} ${'mean'.padStart(7)} ${'pulls'.padStart(9)} ${'share'.padStart(7)}`);
  const top = [...summary.per_arm].sort((a, b) => b.pulls - a.pulls || a.arm - b.arm).slice(0, ARMS_SHOWN);
  for (const a of top) {
    lines.push(`${String(a.arm).padStart(6)} ${a.mean.toFixed(3).padStart(7)} ${String(a.pulls).padStart(9)} ${`${((100 * a.pulls) / summary.rounds).toFixed(1)}%`.padStart(7)}`);
  }
  if (summary.per_arm.length > ARMS_SHOWN) lines.push(`  … ${summary.per_arm.length - ARMS_SHOWN} more arms in summary.json`);
  return lines;
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3);
}
