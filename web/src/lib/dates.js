// Dates as the timeline and the sharing screens write them, in the app's
// language (its text is English) and in UTC (the API's local times are UTC
// by construction): month headings "April 2023", days "12 Apr 2023".
// Written from a table rather than with Intl.DateTimeFormat: a page's first
// Intl formatter starts ICU, 50-100 ms of the first screen's main thread on
// a slow machine (measured in Chromium's profile of the timeline's first
// visit), which the photos would wait for. The viewer's Info panel, opened
// later, still writes its date and time in the reader's own locale.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December'];

/** "April 2023" for a month key or date ("2023-04-01..."). */
export function monthLabel(key) {
  const d = new Date(key);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "12 Apr 2023" for a Date (its UTC day). */
export function dayLabel(d) {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()].slice(0, 3)} ${d.getUTCFullYear()}`;
}
