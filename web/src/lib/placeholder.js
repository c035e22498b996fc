// ThumbHash placeholders: the base64 hash the API sends, as an image URL to
// paint until the real thumbnail arrives ("" when there is none).
import { thumbHashToDataURL } from 'thumbhash';

export function placeholderUrl(b64) {
  if (!b64) return '';
  try {
    return thumbHashToDataURL(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}
