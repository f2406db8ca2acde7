/**
 * Gateways send times as Unix seconds (possibly fractional), Unix milliseconds or ISO 8601 strings.
 * Everything leaves the core as ISO 8601 UTC.
 */

// Numbers below this are seconds: 1e11 s is the year 5138, 1e11 ms is 1973.
const SECONDS_LIMIT = 1e11;

/** Milliseconds since the epoch, or null when the value is not a recognisable time. */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    return value < SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
  }
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    if (/^\d+(\.\d+)?$/.test(trimmed)) return toEpochMs(Number(trimmed));
    const parsed = Date.parse(trimmed);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

export function toIso(value: unknown): string | null {
  const ms = toEpochMs(value);
  if (ms === null) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The first of the candidates that is a time, as ISO; else `fallbackMs` (the receive time). */
export function firstIso(candidates: unknown[], fallbackMs: number): string {
  for (const candidate of candidates) {
    const iso = toIso(candidate);
    if (iso) return iso;
  }
  return new Date(fallbackMs).toISOString();
}
