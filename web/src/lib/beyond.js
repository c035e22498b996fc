// partnerd's own routes beyond Immich's API (README "Beyond Immich"),
// called the way @immich/sdk calls Immich's: through the SDK's own oazapfts
// runtime and its defaults, so the base URL, the 401 hook of api.js and the
// HttpError that errorMessage() reads are the same as for every SDK call.
import * as Oazapfts from '@oazapfts/runtime';
import { defaults } from '@immich/sdk';

const oazapfts = Oazapfts.runtime(defaults);

/* The recipient stops receiving the library of the partner `id` (204). */
export function leavePartner({ id }, opts) {
  return oazapfts.ok(oazapfts.fetchJson(`/partners/${encodeURIComponent(id)}/leave`, {
    ...opts,
    method: 'POST'
  }));
}
