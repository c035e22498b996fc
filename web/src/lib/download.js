// Downloads: one photo is its original (sent by the web server); several are
// Immich's zip archives (POST /download/info splits them by size, then one
// POST /download/archive each), saved under a dated name.
import { getDownloadInfo, downloadArchive } from '@immich/sdk';
import { originalUrl } from './api.js';

function save(href, name) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

/** ids: asset ids; onProgress(done, total) after each archive. */
export async function downloadAssets(ids, { name = 'partnerd', onProgress = () => {} } = {}) {
  if (ids.length === 1) {
    save(originalUrl(ids[0]), '');
    return;
  }
  const info = await getDownloadInfo({ downloadInfoDto: { assetIds: ids } });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  let done = 0;
  for (const [i, archive] of info.archives.entries()) {
    const blob = await downloadArchive({ downloadArchiveDto: { assetIds: archive.assetIds } });
    const url = URL.createObjectURL(blob);
    save(url, `${name}-${stamp}${info.archives.length > 1 ? `-${i + 1}` : ''}.zip`);
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    onProgress(++done, info.archives.length);
  }
}
