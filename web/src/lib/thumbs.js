// The grid's thumbnails, the screen's first. The grid draws a screen's worth
// of tiles around the view (so that scrolling finds them ready), two to
// three times what is on screen; asked for all at once they share
// HTTP/1.1's six connections, and a jump with the scrubber waited for
// ~33 thumbnails where ~12 were on screen (measured: the screen was painted
// when the last of them arrived). So a tile off screen gets its src only
// once no on-screen thumbnail is still arriving.
const arriving = new Set();	// on-screen <img>s asked for and not yet loaded
const later = new Map();	// off-screen <img> -> its URL, asked for after those

function flush() {
  if (arriving.size) return;
  for (const [img, url] of later) img.src = url;
  later.clear();
}

function settle(img) {
  if (arriving.delete(img)) flush();
}

/** An attachment for a tile's <img> ({@attach thumb(url, now)}): sets its
 *  src at once when `now` (the tile is on screen), else once the screen's
 *  thumbnails have arrived. */
export function thumb(url, now) {
  return (img) => {
    if (img.getAttribute('src') !== url) {
      if (!now) {
        later.set(img, url);
        queueMicrotask(flush);
        return () => later.delete(img);
      }
      later.delete(img);
      arriving.add(img);
      img.addEventListener('load', () => settle(img), { once: true });
      img.addEventListener('error', () => settle(img), { once: true });
      img.src = url;
    }
    // Taken out of the page before it loaded (scrolled or jumped away): it
    // no longer holds back the others.
    return () => queueMicrotask(() => { if (!img.isConnected) settle(img); });
  };
}
