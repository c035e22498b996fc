// An album's date range as people read it: "3 Mar 2021 – 9 Apr 2024".
const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
export function dateRange(a) {
  if (!a || !a.startDate) return '';
  const s = fmt.format(new Date(a.startDate)), e = a.endDate ? fmt.format(new Date(a.endDate)) : s;
  return s === e ? s : `${s} – ${e}`;
}
