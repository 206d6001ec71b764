// Amounts of money in the page language, shared by the member pages (the care plan on the status
// page) and matching (matchText re-exports it), so the member bundle does not carry the matching
// catalogs for one formatter.
import type { Lang } from './i18n';

const MONEY_LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-US' };

/** $30, $12.50, $1,200 (cents shown only when there are some). */
export function formatMoney(cents: number, lang: Lang, currency = 'USD'): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat(MONEY_LOCALE[lang] ?? 'en-US', {
    style: 'currency',
    currency: currency || 'USD',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(cents / 100);
}
