// Uploads: a queue that outlives the screen it was started from, so uploads
// go on while the user browses. Each file is hashed in the browser first
// (SHA-1, read in slices, never whole in memory) and sent with Immich's
// x-immich-checksum header: the server answers a file it already has as
// "duplicate" without storing the body again. Two at a time, as the server
// allows each user (max_uploads_per_user); a 503 is tried again after its
// Retry-After. Progress comes from XMLHttpRequest's upload events, handed to
// @immich/sdk's uploadAsset as its fetch.
import { uploadAsset, isHttpError } from '@immich/sdk';
import { errorMessage, sessionExpired } from './api.js';

const AT_ONCE = 2;
const SLICE = 4 << 20;

export const uploads = $state({ files: [], version: 0, open: false });
let nextId = 1;
let running = 0;

/** Totals over the current batch: bytes sent of bytes to send, and counts. */
export function totals() {
  let size = 0, sent = 0, done = 0, failed = 0, duplicates = 0, active = 0;
  for (const f of uploads.files) {
    size += f.size;
    sent += f.status === 'uploading' || f.status === 'hashing' || f.status === 'waiting' ? f.sent : f.size;
    if (f.status === 'done') done++;
    else if (f.status === 'error') failed++;
    else if (f.status === 'duplicate') duplicates++;
    else active++;
  }
  return { size, sent, done, failed, duplicates, active, percent: size ? Math.floor((sent / size) * 100) : 100 };
}

export function addFiles(list) {
  if (uploads.files.length && uploads.files.every((f) => ['done', 'duplicate', 'error'].includes(f.status)))
    uploads.files = [];
  for (const file of list) {
    uploads.files.push({ key: nextId++, file, name: file.name, size: file.size, sent: 0, status: 'waiting', error: '', id: null });
  }
  uploads.open = true;
  pump();
}

export function clearFinished() {
  uploads.files = uploads.files.filter((f) => !['done', 'duplicate', 'error'].includes(f.status));
  if (!uploads.files.length) uploads.open = false;
}

function pump() {
  while (running < AT_ONCE) {
    const f = uploads.files.find((x) => x.status === 'waiting');
    if (!f) return;
    running++;
    f.status = 'hashing';
    send(f).finally(() => { running--; pump(); });
  }
}

// SHA-1 is loaded with the first upload: the timeline's first screen does
// not wait for code it does not run.
async function checksum(file) {
  const [{ sha1 }, { bytesToHex }] = await Promise.all([import('@noble/hashes/legacy.js'), import('@noble/hashes/utils.js')]);
  const h = sha1.create();
  for (let at = 0; at < file.size; at += SLICE)
    h.update(new Uint8Array(await file.slice(at, at + SLICE).arrayBuffer()));
  return bytesToHex(h.digest());
}

/* A fetch for one request, made with XMLHttpRequest to see upload progress. */
function progressFetch(f) {
  return (url, init) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(init.method || 'GET', url);
    for (const [k, v] of new Headers(init.headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) f.sent = Math.min(f.size, Math.round((e.loaded / e.total) * f.size)); };
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
      resolve(new Response(xhr.responseText, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.send(init.body);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function send(f) {
  try {
    const sum = await checksum(f.file);
    f.status = 'uploading';
    const when = new Date(f.file.lastModified || Date.now()).toISOString();
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await uploadAsset({
          xImmichChecksum: sum,
          assetMediaCreateDto: { assetData: f.file, filename: f.name, fileCreatedAt: when, fileModifiedAt: when },
        }, { fetch: progressFetch(f) });
        f.id = r.id;
        f.sent = f.size;
        f.status = r.status === 'duplicate' ? 'duplicate' : 'done';
        if (f.status === 'done') uploads.version++;
        return;
      } catch (e) {
        if (isHttpError(e) && e.status === 503 && attempt < 8) {
          f.sent = 0;
          await sleep(1000 * Math.min(10, Number(e.headers?.get?.('Retry-After')) || 1 + attempt));
          continue;
        }
        throw e;
      }
    }
  } catch (e) {
    if (isHttpError(e) && e.status === 401) sessionExpired();
    f.status = 'error';
    f.error = errorMessage(e, 'The upload failed');
  }
}
