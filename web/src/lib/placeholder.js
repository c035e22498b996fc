// ThumbHash placeholders: the base64 hash the API sends, painted until the
// real thumbnail arrives. Turning a hash into a picture (a PNG data URL)
// costs about a millisecond, which a screen of 50 tiles cannot spend before
// its thumbnails are even asked for; so a tile gets the hash's average
// colour at once (a few bytes read) and the picture in the browser's idle
// time, and never when its thumbnail has arrived first.
import { thumbHashToDataURL, thumbHashToAverageRGBA } from 'thumbhash';

const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** The hash as an image URL ("" when there is none or it is not one). */
export function placeholderUrl(b64) {
  if (!b64) return '';
  try {
    return thumbHashToDataURL(bytes(b64));
  } catch {
    return '';
  }
}

/** The hash's average colour as CSS ("" when there is none). */
export function averageColor(b64) {
  if (!b64) return '';
  try {
    const { r, g, b } = thumbHashToAverageRGBA(bytes(b64));
    return `rgb(${Math.round(r * 255)} ${Math.round(g * 255)} ${Math.round(b * 255)})`;
  } catch {
    return '';
  }
}

// Pictures made recently, by hash: a month scrolled back into view paints
// at once. Bounded: a long scroll must not keep a million data URLs.
const made = new Map();
const MADE_MAX = 4000;
const queue = [];
let pending = false;

/** An attachment ({@attach placeholder} on an element with data-thumbhash):
 *  paints the hash's picture as the element's background when the browser
 *  is idle, unless the element's <img> has loaded by then or the element is
 *  gone. One function for every tile, so redraws do not attach it again. */
export function placeholder(node) {
  const b64 = node.dataset.thumbhash;
  if (!b64) return;
  const url = made.get(b64);
  if (url !== undefined) {
    if (url) node.style.backgroundImage = `url(${url})`;
    return;
  }
  const job = { node, b64, gone: false };
  queue.push(job);
  if (!pending) {
    pending = true;
    requestIdleCallback(paint, { timeout: 200 });
  }
  return () => { job.gone = true; };
}

function paint(deadline) {
  pending = false;
  while (queue.length && (deadline.timeRemaining() > 1 || deadline.didTimeout)) {
    const { node, b64, gone } = queue.shift();
    const img = node.querySelector('img');
    if (gone || (img && img.complete && img.naturalWidth > 0)) continue;
    if (made.size >= MADE_MAX) made.clear();
    const url = placeholderUrl(b64);
    made.set(b64, url);
    if (url) node.style.backgroundImage = `url(${url})`;
    if (deadline.didTimeout) break;	// one per overdue call, then yield
  }
  if (queue.length && !pending) {
    pending = true;
    requestIdleCallback(paint, { timeout: 200 });
  }
}
