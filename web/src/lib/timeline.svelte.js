// The timeline as a model, apart from its view (as Immich's web app has its
// timeline manager): the months the server reports with their counts, which
// of them hold their assets (only those near the viewport: a month far out of
// view gives its assets back and keeps only its height), the justified layout
// of each loaded month, and every month's vertical position. The view reads
// `version` to redraw; nothing here is proportional to the library's size
// except the month list (one entry per month).
import { getTimeBuckets, getTimeBucket } from '@immich/sdk';
import justifiedLayout from 'justified-layout';
import { errorMessage } from './api.js';
import { prefetch, take, adopt, adoptMonth } from './prefetch.js';

/** The main timeline's query: mine and the partners shown in my timeline. */
export const MAIN_TIMELINE = { visibility: 'timeline', withPartners: true };

// Where boot.js finds the newest month of the last visit.
const NEWEST_MONTH = 'partnerd.newestMonth';
const monthsKey = (params) => `months ${JSON.stringify(params)}`;
const monthKey = (params, key) => `month ${key} ${JSON.stringify(params)}`;

/** Signing out: the next person on this browser starts without my month. */
export function forgetNewestMonth() {
  try { localStorage.removeItem(NEWEST_MONTH); } catch { /* storage off */ }
}

/** Ask now for the main timeline's months and its newest month, or take
 *  them from boot.js (see prefetch.js). */
export function prefetchTimeline() {
  const params = MAIN_TIMELINE;
  prefetch(monthsKey(params), () => adopt('months', () => getTimeBuckets(params))).then((b) => {
    if (!b.length) return;
    const key = b[0].timeBucket;
    try { localStorage.setItem(NEWEST_MONTH, key); } catch { /* storage off: boot.js waits for the months */ }
    prefetch(monthKey(params, key), () => adoptMonth(key, () => getTimeBucket({ ...params, timeBucket: key })));
  }, () => {});
}

export const MONTH_HEADER = 56;	// px above each month's photos
const LOAD_BEFORE = 1, LOAD_AFTER = 2;	// viewports of months kept loaded around the view
const UNLOAD_BEYOND = 8;	// viewports: months further away give their assets back

export class TimelineModel {
  version = $state(0);
  status = $state('loading');	// loading, ready, error
  error = $state('');
  months = [];
  total = 0;
  width = 0;
  rowHeight = 235;
  gap = 4;

  /** params: the timeline/buckets query, e.g. {visibility:'timeline', withPartners:true}. */
  constructor(params) {
    this.params = params;
  }

  async init() {
    this.status = 'loading';
    await this.refresh(() => take(monthsKey(this.params), () => getTimeBuckets(this.params)));
    if (this.months.length) this.load(this.months[0]);	// the view opens at the top
  }

  setWidth(width) {
    if (width <= 0 || width === this.width) return;
    this.width = width;
    this.rowHeight = width < 600 ? 120 : 235;
    for (const m of this.months) {
      m.measured = false;
      if (m.assets) this.justify(m);
    }
    this.layoutAll();
    this.version++;
  }

  estimate(m) {
    const perRow = Math.max(1, Math.round(this.width / (this.rowHeight * 1.35 + this.gap)));
    return Math.ceil(m.count / perRow) * (this.rowHeight + this.gap);
  }

  /** Lay out month m: first only the rows a screen can show, the rest when
   *  the browser is idle (`whole` at once). justified-layout goes row by
   *  row, so those rows are the whole layout's first rows; a month of 1,000
   *  photos is 20-30 ms of layout on a slow machine, which the first screen
   *  and every jump with the scrubber would otherwise wait for. Until then
   *  the month is `partial` and keeps its estimated height, or its measured
   *  one (`measured`: laid out whole at this width with this count). */
  justify(m, whole = false) {
    const ratios = m.assets.ratio.map((r) => (r > 0 && isFinite(r) ? r : 1));
    const rows = whole ? {} : { maxNumRows: Math.ceil(window.innerHeight / (this.rowHeight + this.gap)) + 1 };
    const out = justifiedLayout(ratios, {
      containerWidth: this.width, containerPadding: 0, boxSpacing: this.gap,
      targetRowHeight: this.rowHeight, targetRowHeightTolerance: 0.25, ...rows,
    });
    // The boxes a month had and keeps (its first rows, laid out again whole
    // in idle time) stay the same objects: the view redraws none of them.
    // Boxes are only ever of the month's photos as they are: whatever
    // replaces or drops m.assets drops m.boxes with it (load, ensure, remove).
    const was = m.boxes || [];
    for (let i = 0; i < Math.min(was.length, out.boxes.length); i++) {
      const a = was[i], b = out.boxes[i];
      if (a.top === b.top && a.left === b.left && a.width === b.width && a.height === b.height) out.boxes[i] = a;
    }
    m.boxes = out.boxes;
    m.partial = out.boxes.length < ratios.length;
    if (!m.partial) {
      m.height = Math.ceil(out.containerHeight);
      m.measured = true;
    } else {
      // A month laid out whole before (at this width, with these photos)
      // keeps that height: given back and loaded again, it does not
      // shrink to the estimate until the idle layout.
      if (!m.measured) m.height = Math.max(this.estimate(m), Math.ceil(out.containerHeight));
      this.finishLater();
    }
  }

  /** The rest of the partial months' layouts, once the browser is idle. */
  finishLater() {
    if (this.finishing) return;
    this.finishing = true;
    requestIdleCallback(() => {
      this.finishing = false;
      const rest = this.months.filter((m) => m.partial && m.assets);
      if (!rest.length) return;
      for (const m of rest) this.justify(m, true);
      this.layoutAll();
      this.version++;
    }, { timeout: 300 });
  }

  layoutAll() {
    let top = 0;
    for (const m of this.months) {
      if (!m.measured && !m.partial) m.height = this.estimate(m);
      m.top = top;
      top += MONTH_HEADER + m.height;
    }
    this.total = top;
  }

  /** The index of the month at y (binary search over the tops). */
  monthIndexAt(y) {
    let lo = 0, hi = this.months.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.months[mid].top <= y) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** Load what the viewport at scrollTop (height vh) needs, the months on
   *  screen first and those around them once these have come (a jump waits
   *  for no neighbour); give back what is far away. */
  ensure(scrollTop, vh) {
    if (!this.view || this.view.scrollTop !== scrollTop || this.view.vh !== vh) this.view = { scrollTop, vh };
    const view = this.view;
    const from = scrollTop - LOAD_BEFORE * vh, to = scrollTop + LOAD_AFTER * vh;
    const far0 = scrollTop - UNLOAD_BEYOND * vh, far1 = scrollTop + (UNLOAD_BEYOND + 1) * vh;
    const now = [], near = [];
    let changed = false;
    for (const m of this.months) {
      const bottom = m.top + MONTH_HEADER + m.height;
      if (bottom >= scrollTop && m.top <= scrollTop + vh) now.push(this.load(m));
      else if (bottom >= from && m.top <= to) near.push(m);
      else if (m.assets && (bottom < far0 || m.top > far1)) {
        m.assets = m.boxes = null;
        m.partial = false;
        changed = true;
      }
    }
    if (changed) this.version++;
    // Still the same view when the screen's months are in: then the rest.
    if (near.length) Promise.allSettled(now).then(() => { if (this.view === view) for (const m of near) this.load(m); });
  }

  load(m) {
    if (m.assets || m.loading) return m.loading;
    m.loading = take(monthKey(this.params, m.key), () => getTimeBucket({ ...this.params, timeBucket: m.key }))
      .then((a) => {
        m.assets = a;
        m.error = '';
        if (a.id.length !== m.count) { m.count = a.id.length; m.measured = false; }
        if (this.width) this.justify(m);	// else setWidth lays it out
        this.layoutAll();
      })
      .catch((e) => { m.error = errorMessage(e, 'This month could not be loaded'); })
      .finally(() => {
        m.loading = null;
        this.version++;
        // Its real height may bring another month into the view.
        if (m.assets && this.view) this.ensure(this.view.scrollTop, this.view.vh);
      });
    return m.loading;
  }

  /** Asset i of a loaded month, as the view and the viewer need it. */
  asset(m, i) {
    const a = m.assets;
    return {
      id: a.id[i], ownerId: a.ownerId[i], isFavorite: a.isFavorite[i], isImage: a.isImage[i],
      fileCreatedAt: a.fileCreatedAt[i], localOffsetHours: a.localOffsetHours[i], thumbhash: a.thumbhash[i],
      duration: a.duration ? a.duration[i] : null,
    };
  }

  locate(id) {
    for (let mi = 0; mi < this.months.length; mi++) {
      const a = this.months[mi].assets;
      if (!a) continue;
      const i = a.id.indexOf(id);
      if (i >= 0) return { mi, i };
    }
    return null;
  }

  /** The id next to id (dir +1 older, -1 newer), loading the next month if needed. */
  async neighbor(id, dir) {
    const at = this.locate(id);
    if (!at) return null;
    const m = this.months[at.mi];
    if (at.i + dir >= 0 && at.i + dir < m.assets.id.length) return m.assets.id[at.i + dir];
    for (let mi = at.mi + dir; mi >= 0 && mi < this.months.length; mi += dir) {
      const n = this.months[mi];
      await this.load(n);
      if (n.assets && n.assets.id.length) return n.assets.id[dir > 0 ? 0 : n.assets.id.length - 1];
    }
    return null;
  }

  /** Is a loaded asset one of my favourites? */
  isFavorite(id) {
    const at = this.locate(id);
    return !!(at && this.months[at.mi].assets.isFavorite[at.i]);
  }

  /** Everything may have changed (an upload, a bulk action): the months are
   *  asked again, and those near the view reloaded. */
  /** Ask for the months again (ask: how; init takes main.js's prefetch). */
  async refresh(ask = () => getTimeBuckets(this.params)) {
    try {
      const buckets = await ask();
      const old = new Map(this.months.map((m) => [m.key, m]));
      this.months = buckets.map((b) => {
        const m = old.get(b.timeBucket);
        const fresh = { key: b.timeBucket, count: b.count, assets: null, boxes: null,
          height: 0, top: 0, measured: false, partial: false, loading: null, error: '' };
        if (m && m.count === b.count && m.measured) { fresh.height = m.height; fresh.measured = true; }
        return fresh;
      });
      this.layoutAll();
      this.status = 'ready';
    } catch (e) {
      this.error = errorMessage(e, 'The timeline could not be loaded');
      this.status = 'error';
    }
    this.version++;
    if (this.view) this.ensure(this.view.scrollTop, this.view.vh);
  }

  /** The ids and owners of a month, loading it first. */
  async monthItems(m) {
    await this.load(m);
    if (!m.assets) return [];
    return m.assets.id.map((id, i) => ({ id, ownerId: m.assets.ownerId[i] }));
  }

  /** The ids and owners from a to b (either order) in the grid's order, loading the months between. */
  async range(a, b) {
    let p = this.locate(a), q = this.locate(b);
    if (!p || !q) return [];
    if (p.mi > q.mi || (p.mi === q.mi && p.i > q.i)) [p, q] = [q, p];
    const out = [];
    for (let mi = p.mi; mi <= q.mi; mi++) {
      const items = await this.monthItems(this.months[mi]);
      const from = mi === p.mi ? p.i : 0, to = mi === q.mi ? q.i : items.length - 1;
      out.push(...items.slice(from, to + 1));
    }
    return out;
  }

  /** An asset left this view (archived, trashed): its month is asked again. */
  async remove(id) {
    const at = this.locate(id);
    if (!at) return;
    const m = this.months[at.mi];
    m.assets = m.boxes = null;
    m.partial = m.measured = false;
    m.count--;
    if (m.count <= 0) this.months.splice(at.mi, 1);
    else await this.load(m);
    this.layoutAll();
    this.version++;
  }
}

/* The model the viewer steps through: the grid a photo was opened from. */
export const viewerContext = { model: null };
