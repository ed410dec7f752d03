/**
 * Calendar days in the programme's time zone, shared by server and web. Legal dates (decisions,
 * certificates, deadlines) are days, compared as 'YYYY-MM-DD' strings; an instant becomes a day only
 * here, so a certificate valid to 31/12 is still valid at 23:30 on 31/12 in Hà Nội, whatever the
 * server's own zone.
 */

/** Vietnam's one time zone (UTC+7, no daylight saving); the server's `TIME_ZONE` setting defaults to it. */
export const PROGRAMME_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone, as 'YYYY-MM-DD'. */
export function localDate(instant: Date, timeZone: string = PROGRAMME_TIME_ZONE): string {
  // Building a formatter costs far more than using one, and lists call this for every row.
  let format = dayFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** Today as 'YYYY-MM-DD' in a time zone (the programme's unless told); `now` only for tests. */
export function today(timeZone: string = PROGRAMME_TIME_ZONE, now: Date = new Date()): string {
  return localDate(now, timeZone);
}
