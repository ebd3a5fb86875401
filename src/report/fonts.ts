/**
 * Fonts for PNG rendering. resvg draws no text without a font, and must not depend on what a
 * machine happens to have configured, so the report loads DejaVu Sans (Debian's
 * fonts-dejavu-core) by path; RECLOOP_FONTS (a path-list of .ttf/.otf files) overrides it.
 * With neither, resvg falls back to the system fonts and the report says so once.
 */
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';

const CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
  '/Library/Fonts/DejaVuSans.ttf',
];

export interface FontChoice {
  /** Explicit font files; empty when falling back to system fonts. */
  readonly files: readonly string[];
  readonly defaultFamily: string;
}

export function chooseFonts(env: Readonly<Record<string, string | undefined>> = process.env): FontChoice {
  const fromEnv = (env.RECLOOP_FONTS ?? '').split(delimiter).filter((f) => f !== '' && existsSync(f));
  if (fromEnv.length > 0) return { files: fromEnv, defaultFamily: 'DejaVu Sans' };
  const files = CANDIDATES.filter((f) => existsSync(f));
  return { files, defaultFamily: files.length > 0 ? 'DejaVu Sans' : 'Arial' };
}
