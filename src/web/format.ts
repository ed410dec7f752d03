/**
 * Dates and numbers as people in Vietnam read them: instants shown in Asia/Ho_Chi_Minh whatever
 * the browser's zone, day first (dd/MM/yyyy), 24-hour clock, in both UI languages.
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function partsOf(value: string | Date): Record<string, string> | null {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  const parts: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/** "22/11/2026 14:05" (Vietnam time). */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const p = partsOf(value);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : '';
}

/** "22/11/2026" (the day in Vietnam). */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const p = partsOf(value);
  return p ? `${p.day}/${p.month}/${p.year}` : '';
}

export function formatNumber(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined) return '';
  return new Intl.NumberFormat(language === 'en' ? 'en-US' : 'vi-VN').format(value);
}

/** This year in Vietnam (a year-end evening in UTC is already the new year there). */
export function currentYear(now: Date = new Date()): number {
  return Number(partsOf(now)?.year);
}
