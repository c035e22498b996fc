// Search filters as the /search page's query string (shareable, kept in
// history) and as Immich's MetadataSearchDto. "q" is the search box's text:
// a place when it names one of the library's places, else words of file
// names.
import { getSearchSuggestions } from '@immich/sdk';

/** The query-string names the search page understands, in display order. */
export const FILTERS = ['q', 'city', 'state', 'country', 'make', 'model', 'lensModel',
  'originalFileName', 'description', 'takenAfter', 'takenBefore', 'type', 'isFavorite'];

/** The filters of a query string ("?city=Paris") as a plain object. */
export function readFilters(search) {
  const sp = new URLSearchParams(search), f = {};
  for (const k of FILTERS) if (sp.get(k)) f[k] = sp.get(k);
  return f;
}

/** The /search URL for filters (empty ones left out). */
export function searchUrl(f) {
  const sp = new URLSearchParams();
  for (const k of FILTERS) if (f[k]) sp.set(k, f[k]);
  return '/search' + (sp.size ? '?' + sp : '');
}

const same = (a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0;

/** The search box's text as a filter: a city or country of the library, else file-name words. */
export async function resolveText(q) {
  for (const [kind, field] of [['city', 'city'], ['country', 'country'], ['state', 'state']]) {
    const names = await getSearchSuggestions({ $type: kind });
    const hit = names.find((n) => n && same(n, q.trim()));
    if (hit) return { [field]: hit };
  }
  return { originalFileName: q };
}

/** MetadataSearchDto for filters (q already resolved); dates are whole days. */
export function toDto(f) {
  const dto = {};
  for (const k of ['city', 'state', 'country', 'make', 'model', 'lensModel', 'originalFileName', 'description', 'type'])
    if (f[k]) dto[k] = f[k];
  if (f.takenAfter) dto.takenAfter = new Date(f.takenAfter + 'T00:00:00Z').toISOString();
  if (f.takenBefore) dto.takenBefore = new Date(f.takenBefore + 'T23:59:59.999Z').toISOString();
  if (f.isFavorite === 'true') dto.isFavorite = true;
  return dto;
}

const typeNames = { IMAGE: 'Photos', VIDEO: 'Videos' };

/** A short title for filters: "Paris · Canon EOS R5 · from 2021-01-01". */
export function describe(f) {
  const parts = [];
  if (f.q) parts.push(`“${f.q}”`);
  const place = [f.city, f.state, f.country].filter(Boolean).join(', ');
  if (place) parts.push(place);
  const camera = [f.make, f.model, f.lensModel].filter(Boolean).join(' ');
  if (camera) parts.push(camera);
  if (f.originalFileName) parts.push(`file name “${f.originalFileName}”`);
  if (f.description) parts.push(`description “${f.description}”`);
  if (f.takenAfter) parts.push(`from ${f.takenAfter}`);
  if (f.takenBefore) parts.push(`until ${f.takenBefore}`);
  if (f.type) parts.push(typeNames[f.type] || f.type);
  if (f.isFavorite === 'true') parts.push('Favourites');
  return parts.join(' · ') || 'All photos';
}
