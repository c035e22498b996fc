// partnerd's own routes beyond Immich's API (README "Beyond Immich"),
// called the way @immich/sdk calls Immich's: through the SDK's own oazapfts
// runtime and its defaults, so the base URL, the 401 hook of api.js and the
// HttpError that errorMessage() reads are the same as for every SDK call.
import * as Oazapfts from '@oazapfts/runtime';
import { defaults } from '@immich/sdk';
import { dayLabel } from './dates.js';

const oazapfts = Oazapfts.runtime(defaults);

/* The recipient stops receiving the library of the partner `id` (204). */
export function leavePartner({ id }, opts) {
  return oazapfts.ok(oazapfts.fetchJson(`/partners/${encodeURIComponent(id)}/leave`, {
    ...opts,
    method: 'POST'
  }));
}

/* The sharer shares with the partner `id` from the day `startDate`
 * ("YYYY-MM-DD": what was taken on or after it), or the whole library
 * (null); the partner object back. */
export function setPartnerStartDate({ id, startDate }, opts) {
  return oazapfts.ok(oazapfts.fetchJson(`/partners/${encodeURIComponent(id)}`, oazapfts.json({
    ...opts,
    method: 'PATCH',
    body: { startDate }
  })));
}

/* A share's start day "YYYY-MM-DD" as people read it: "1 Mar 2024". */
export function formatDay(day) {
  return day ? dayLabel(new Date(`${day}T00:00:00Z`)) : '';
}
