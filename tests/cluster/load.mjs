// load.mjs: the cluster test's client (tests/cluster-test.sh runs it).
//
// A steady mixed load through nginx's upstream of the worker hosts: bob reads
// his timeline, bob toggles alice in his timeline, alice uploads photos and
// archives and unarchives them. After every write that answered success the
// same change is read back through every worker host (nginx serves each on
// its own port); a partner must never see an asset once its owner's archive
// answered. Meanwhile the faults run on a schedule: one Galera node killed
// (kill -9) and restarted, one worker host's network taken down and brought
// back; then the quorum lost (two of the three nodes killed: the last one is
// not a majority and stops serving), during which every worker host must
// answer reads and writes at once with 503 and Immich's error body (not hang,
// not 500, no write answered as done), then the two nodes restarted and the
// cluster serving again, with nothing of the refused writes applied. The report: requests sent, failed, retried (by the client; nginx's
// own retries are counted from its log by the caller), each fault's recovery
// time, and every violation. Exit 1 on any violation.
//
// Environment: FRONT (nginx's URL), HOSTS (the worker hosts' URLs, comma-
// separated), CLUSTER (a command: "CLUSTER ACTION N" runs a fault), PHOTO (a
// JPEG), DURATION (seconds of load, at least 60), OUT (the report, JSON).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const FRONT = process.env.FRONT;
const HOSTS = process.env.HOSTS.split(',');
const CLUSTER = process.env.CLUSTER;
const PHOTO = readFileSync(process.env.PHOTO);
const DURATION = Number(process.env.DURATION || 70) * 1000;
const OUT = process.env.OUT;
const TIMEOUT = 30000;	// a request in flight across a fault may take this long

const t0 = Date.now();
const now = () => Date.now() - t0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// failed: no answer, or nginx's 502/504; busy: a 503 with Retry-After
// (a conflict the worker could not run again, or a database away), which
// the client retries as Immich's clients do.
const stats = { sent: 0, failed: 0, busy: 0, retried: 0, verified: 0, unreachable: 0, quorumProbes: 0 };
const failures = [];	// { start, end, what, why }
const violations = [];
const faults = [];	// { name, at, end, recovered }
const uploads = [];	// { name, id|null, outcome }
let stopping = false;
let outage = false;	// the quorum is lost: failures are expected until it is back

function violation(msg) {
	violations.push(`${(now() / 1000).toFixed(1)}s ${msg}`);
	console.error(`VIOLATION: ${msg}`);
}

// One request; never throws: { status, body, start, end } or { error }.
async function req(base, method, path, { token, json, form } = {}) {
	const start = now();
	const headers = {};
	if (token) headers.Authorization = `Bearer ${token}`;
	let body;
	if (json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
	if (form !== undefined) body = form;
	stats.sent++;
	try {
		const r = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(TIMEOUT) });
		const text = await r.text();
		let parsed = null;
		try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
		return { status: r.status, body: parsed, start, end: now(),
		    retryAfter: r.headers.get('retry-after'), type: r.headers.get('content-type') };
	} catch (e) {
		return { status: 0, error: String(e.cause?.code || e.name || e), start, end: now() };
	}
}

const transient = (r) => r.status === 0 || r.status === 502 || r.status === 503 || r.status === 504;

// A request through the front, retried by the client on a transient failure
// (each failure recorded); ok(r) says what success is.
async function front(what, method, path, opts, ok) {
	for (let attempt = 0; ; attempt++) {
		const r = await req(FRONT, method, path, opts());
		if (ok(r)) return r;
		if (!transient(r)) {
			violation(`${what}: answered ${r.status} ${JSON.stringify(r.body)}`);
			return null;
		}
		if (r.status === 503)
			stats.busy++;
		else {
			stats.failed++;
			failures.push({ start: r.start, end: r.end, what, why: r.error || r.status });
		}
		if (outage) {	// without a quorum nothing serves: wait for it
			stats.retried++;
			while (outage) await sleep(100);
			continue;
		}
		if (attempt >= 20 || stopping && attempt >= 3) {
			violation(`${what}: still failing after ${attempt + 1} tries`);
			return null;
		}
		stats.retried++;
		await sleep(250);
	}
}

// Read back through every worker host: check(r) is true when the change shows.
// A host that cannot be reached (its network is down) is noted, not judged;
// one that answers must answer with the change.
async function everyHost(what, path, token, check) {
	for (const [i, base] of HOSTS.entries()) {
		const r = await req(base, 'GET', path, { token });
		if (r.status === 0 || r.status === 502 || r.status === 504) {
			stats.unreachable++;
			continue;
		}
		if (r.status === 503) {	// the host answers but its database does not
			stats.unreachable++;
			continue;
		}
		stats.verified++;
		if (!check(r))
			violation(`${what}: worker host ${i + 1} answered ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
	}
}

async function login(email) {
	const r = await front(`login ${email}`, 'POST', '/api/auth/login',
	    () => ({ json: { email, password: 'partnerd-demo' } }), (x) => x.status === 201);
	if (!r) throw new Error(`cannot log in as ${email}`);
	return r.body.accessToken;
}

const alice = await login('alice@example.com');
const bob = await login('bob@example.com');
const aliceId = (await front('me', 'GET', '/api/users/me', () => ({ token: alice }), (x) => x.status === 200)).body.id;
const carolId = (await front('partners', 'GET', '/api/partners?direction=shared-with', () => ({ token: alice }),
    (x) => x.status === 200)).body.find((p) => p.email === 'carol@example.com').id;

// ---- the load ----------------------------------------------------------------
async function reader() {
	while (!stopping) {
		await front('timeline', 'GET', '/api/timeline/buckets?withPartners=true&visibility=timeline',
		    () => ({ token: bob }), (x) => x.status === 200);
		await sleep(20);
	}
}

async function toggler() {
	let on = true;
	while (!stopping) {
		const r = await front('partner toggle', 'PUT', `/api/partners/${aliceId}`,
		    () => ({ token: bob, json: { inTimeline: on } }), (x) => x.status === 200);
		if (r) await everyHost(`partner inTimeline=${on}`, '/api/partners?direction=shared-with', bob,
		    (x) => x.status === 200 && x.body.some((p) => p.id === aliceId && p.inTimeline === on));
		on = !on;
		await sleep(50);
	}
}

async function uploader(n) {
	let k = 0;
	while (!stopping) {
		const name = `cluster-${n}-${k++}.jpg`;
		const bytes = Buffer.concat([PHOTO, randomBytes(16)]);	// after EOI: a new checksum
		const up = { name, id: null, outcome: 'failed' };
		uploads.push(up);
		const r = await front(`upload ${name}`, 'POST', '/api/assets', () => {
			const form = new FormData();
			form.append('fileCreatedAt', '2024-05-01T12:00:00.000Z');
			form.append('fileModifiedAt', '2024-05-01T12:00:00.000Z');
			form.append('deviceAssetId', name);
			form.append('deviceId', 'cluster-test');
			form.append('assetData', new Blob([bytes], { type: 'image/jpeg' }), name);
			return { token: alice, form };
		}, (x) => (x.status === 201 || x.status === 200) && x.body && x.body.id);
		if (!r) continue;
		// A retried upload whose first try was applied answers "duplicate".
		up.id = r.body.id; up.outcome = r.body.status;
		const id = up.id;
		await everyHost(`upload ${name} for its owner`, `/api/assets/${id}`, alice, (x) => x.status === 200);
		await everyHost(`upload ${name} for the partner`, `/api/assets/${id}`, bob, (x) => x.status === 200);
		for (const vis of ['archive', 'timeline']) {
			const w = await front(`${vis === 'archive' ? 'archive' : 'unarchive'} ${name}`, 'PUT', '/api/assets',
			    () => ({ token: alice, json: { ids: [id], visibility: vis } }), (x) => x.status === 204);
			if (!w) break;
			if (vis === 'archive')
				await everyHost(`partner after archive of ${name}`, `/api/assets/${id}`, bob, (x) => x.status !== 200);
			else
				await everyHost(`partner after unarchive of ${name}`, `/api/assets/${id}`, bob,
				    (x) => x.status === 200 && x.body.id === id);
		}
	}
}

// ---- the faults ------------------------------------------------------------------
const clusterArgs = (action, n) => ['-c', `${CLUSTER} ${action} ${n}`];
function cluster(action, n) {
	execFileSync('sh', clusterArgs(action, n), { stdio: 'inherit' });
}

// The same without stopping the load while it runs: requests keep flowing.
const clusterAsync = (action, n) => promisify(execFile)('sh', clusterArgs(action, n));

// When does host (1-based) answer again? The first success through it after at.
async function hostBack(i, at) {
	for (;;) {
		const r = await req(HOSTS[i - 1], 'GET', '/api/timeline/buckets?withPartners=true&visibility=timeline', { token: bob });
		if (r.status === 200) return r.end - at;
		await sleep(100);
	}
}

async function faultPlan() {
	await sleep(10000);
	// A Galera node dies: the worker host that started on it moves on.
	let f = { name: 'kill -9 Galera node 2', at: now() };
	faults.push(f);
	cluster('db-kill', 2);
	f.recovered = await hostBack(2, f.at);
	await sleep(8000);
	f = { name: 'restart Galera node 2 (rejoin)', at: now() };
	faults.push(f);
	cluster('db-start', 2);
	for (;;) {
		try { cluster('db-synced', 2); break; } catch { await sleep(200); }
	}
	f.up = now();
	f.recovered = f.up - f.at;
	f.transfer = execFileSync('sh', ['-c', `${CLUSTER} transfer 2`]).toString().trim();
	await sleep(5000);
	// A worker host drops off the network for 10 s.
	f = { name: 'worker host 3 network down 10 s', at: now() };
	faults.push(f);
	cluster('net-down', 3);
	await sleep(10000);
	cluster('net-up', 3);
	f.up = now();
	f.recovered = await hostBack(3, f.up);
	f.note = 'recovered: from network up to its first answer';
}

// Is this answer the service refusing, as documented: 503, Retry-After, and
// Immich's error body ({"message"}, v3)?
const refused = (r) => r.status === 503 && r.retryAfter !== null && r.body !== null &&
    typeof r.body.message === 'string' && (r.type || '').startsWith('application/json');

async function quorumPlan() {
	// Two of three nodes die at once: node 1 alone is not a majority. It
	// holds commits until it declares the others gone, then becomes
	// non-primary and refuses every query (1047) rather than diverge.
	let f = { name: 'quorum lost: Galera nodes 2 and 3 killed', at: now() };
	faults.push(f);
	// Writes racing the loss: a write that node 1 is replicating when the
	// others die waits until node 1 gives up on them, and then fails as the
	// node leaves the primary component (1180 at the commit of a statement);
	// it must be refused like any other, never a 500. Two writers per worker
	// host run from just before the kills, each flipping carol's share in
	// alice's timeline (a share nothing else writes) back and forth, so that
	// some are past their reads and in the write when the nodes die.
	let racing = true, killed = null;
	const raced = { ok: 0, refused: 0, atKill: 0 };
	const racer = async (base) => {
		for (let on = false; racing; on = !on) {
			const r = await req(base, 'PUT', `/api/partners/${carolId}`, { token: alice, json: { inTimeline: on } });
			if (r.status === 200) raced.ok++;
			else if (refused(r)) {
				raced.refused++;
				if (killed === null || r.start <= killed) raced.atKill++;
			} else
				violation(`a write racing the quorum loss answered ${r.status || r.error} ${JSON.stringify(r.body)}, not 503 with {"message"}`);
		}
	};
	const racers = HOSTS.flatMap((base) => [racer(base), racer(base)]);
	await sleep(300);
	f.at = now();
	outage = true;
	await clusterAsync('db-kill', 2);
	await clusterAsync('db-kill', 3);
	killed = now();
	for (;;) {
		const st = execFileSync('sh', ['-c', `${CLUSTER} sql 1 -N -e "SHOW STATUS LIKE 'wsrep_cluster_status'"`])
		    .toString().trim().split('\t')[1];
		if (st === 'non-Primary') break;
		await sleep(200);
	}
	f.nonPrimary = now() - f.at;
	racing = false;
	await Promise.all(racers);
	f.raced = `writes racing the loss: ${raced.ok} answered 200, ${raced.refused} refused with 503 ` +
	    `(${raced.atKill} of them sent while the kills ran)`;
	if (raced.atKill === 0)
		violation('no write sent while the kills ran was refused: the race was not run');
	// Every worker host, through its own port: a read, a write (PUT) and a
	// creation (POST) are refused at once; no answer is a success.
	const probes = [];
	for (const [i, base] of HOSTS.entries()) {
		const tries = [
			['read', await req(base, 'GET', '/api/partners?direction=shared-with', { token: bob })],
			['timeline', await req(base, 'GET', '/api/timeline/buckets?withPartners=true&visibility=timeline', { token: bob })],
			['write', await req(base, 'PUT', `/api/partners/${aliceId}`, { token: bob, json: { inTimeline: true } })],
			['create', await req(base, 'POST', '/api/albums', { token: alice, json: { albumName: `quorum-probe-${i + 1}` } })],
			['sign-in', await req(base, 'POST', '/api/auth/login', { json: { email: 'bob@example.com', password: 'partnerd-demo' } })],
		];
		for (const [what, r] of tries) {
			stats.quorumProbes++;
			probes.push(r.end - r.start);
			if (!refused(r))
				violation(`without a quorum, worker host ${i + 1} answered a ${what} with ${r.status || r.error} ` +
				    `${JSON.stringify(r.body)} (Retry-After ${r.retryAfter}), not 503 with {"message"}`);
		}
	}
	f.probeMs = Math.max(...probes);
	// The nodes come back (as after a power cut: restarted, each finds its
	// last position, and with the saved view they form the primary again).
	const g = { name: 'quorum back: nodes 2 and 3 restarted', at: now() };
	faults.push(g);
	cluster('db-start', 2);
	cluster('db-start', 3);
	let back = 0;
	for (let i = 1; i <= HOSTS.length; i++) back = Math.max(back, await hostBack(i, g.at));
	g.recovered = back;
	f.up = g.at + back;
	g.up = f.up;
	f.recovered = f.up - f.at;
	outage = false;
	for (const n of [2, 3])
		for (;;) {
			try { cluster('db-synced', n); break; } catch { await sleep(200); }
		}
	g.synced = now() - g.at;
	g.note = `every host answering; all three nodes synced after ${(g.synced / 1000).toFixed(1)} s`;
	// Nothing refused was applied: no probe album exists.
	const albums = await front('albums after the quorum loss', 'GET', '/api/albums', () => ({ token: alice }),
	    (x) => x.status === 200);
	if (albums && albums.body.some((a) => a.albumName.startsWith('quorum-probe-')))
		violation('an album created while the quorum was lost exists: a refused write was applied');
}

const plan = faultPlan().then(() => sleep(3000)).then(quorumPlan);
const loops = [reader(), reader(), toggler(), uploader(1), uploader(2)];
await plan;
while (now() < DURATION) await sleep(200);
stopping = true;
await Promise.all(loops);

// ---- judging ---------------------------------------------------------------------
// Only requests in flight at a fault may fail: those that began before the
// fault's moment (for the network, before it came back) and ended after it.
for (const x of failures) {
	const inFlight = faults.some((f) => x.start <= (f.up ?? f.at) + 1000 && x.end >= f.at);
	if (!inFlight)
		violation(`${x.what} failed (${x.why}) at ${(x.start / 1000).toFixed(1)}-${(x.end / 1000).toFixed(1)} s, not at a fault`);
}
const report = {
	seconds: Math.round(now() / 1000), stats, faults, failures,
	uploads: { tried: uploads.length, created: uploads.filter((u) => u.outcome === 'created').length,
	    duplicate: uploads.filter((u) => u.outcome === 'duplicate').length,
	    failed: uploads.filter((u) => u.outcome === 'failed').length },
	uploaded: uploads.filter((u) => u.id).map((u) => u.id), violations };
writeFileSync(OUT, JSON.stringify(report, null, 1));
console.log(`load: ${report.seconds} s; requests sent ${stats.sent}, failed ${stats.failed}, ` +
    `answered 503 (busy) ${stats.busy}, retried by the client ${stats.retried}; read back through every host ${stats.verified} times ` +
    `(host unreachable ${stats.unreachable})`);
console.log(`load: uploads ${report.uploads.tried}: created ${report.uploads.created}, ` +
    `duplicate after a retry ${report.uploads.duplicate}, failed ${report.uploads.failed}`);
for (const f of faults)
	console.log(`load: fault "${f.name}" at ${(f.at / 1000).toFixed(1)} s: recovered in ${(f.recovered / 1000).toFixed(1)} s` +
	    (f.transfer ? ` (${f.transfer})` : '') + (f.note ? ` (${f.note})` : '') +
	    (f.nonPrimary !== undefined ? ` (node 1 non-primary after ${(f.nonPrimary / 1000).toFixed(1)} s; ` +
	        `${stats.quorumProbes} probes through every host answered 503, the slowest in ${f.probeMs} ms; ${f.raced})` : ''));
for (const x of failures)
	console.log(`load: failed ${x.what}: ${x.why}, ${(x.start / 1000).toFixed(1)}-${(x.end / 1000).toFixed(1)} s`);
for (const v of violations)
	console.log(`load: violation at ${v}`);
console.log(`load: ${violations.length} violation(s)`);
process.exit(violations.length ? 1 : 0);
