/** Text helpers for routing: what "case- and accent-insensitive" means, and how lists are written. */

/** Lower-case, accents removed, white space collapsed: `Olá  Café` → `ola cafe`. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
}

/** A list as users type it in a settings field: comma- or newline-separated, blanks dropped. */
export function listOf(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Ids and phone numbers compare alike however they were written: `+62 812-3456` and `628123456`
 * are the same number, and a bare number matches the `@c.us` / `@s.whatsapp.net` id carrying it.
 */
export function normalizeId(value: string): string {
  const trimmed = value.trim().toLowerCase();
  const phoneJid = /^(\d+)(?::\d+)?@(c\.us|s\.whatsapp\.net)$/.exec(trimmed);
  if (phoneJid) return phoneJid[1];
  if (/^\+?[\d\s().-]+$/.test(trimmed)) return trimmed.replace(/\D/g, '');
  return trimmed;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds the first keyword (or phrase) that occurs in a text as whole words, ignoring case and
 * accents: `preco` matches "Qual o preço?" but `hi` does not match "this".
 */
export function keywordMatcher(keywords: string[]): (text: string) => string | null {
  const patterns = keywords.map((keyword) => ({
    keyword,
    regex: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(foldText(keyword))}(?![\\p{L}\\p{N}])`, 'u'),
  }));
  return (text) => {
    const folded = foldText(text);
    return patterns.find(({ regex }) => regex.test(folded))?.keyword ?? null;
  };
}
