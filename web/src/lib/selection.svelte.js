// The photos selected in a grid: id -> owner id, in the order they were
// picked, and the last one clicked (the anchor of a shift-click range).
import { SvelteMap } from 'svelte/reactivity';
import { session } from './session.svelte.js';

export class Selection {
  items = new SvelteMap();
  anchor = null;

  get size() { return this.items.size; }
  get ids() { return [...this.items.keys()]; }
  has(id) { return this.items.has(id); }
  /** My own selected ids, and how many are partners'. */
  split() {
    const me = session.user?.id, mine = [];
    let others = 0;
    for (const [id, owner] of this.items) if (owner === me) mine.push(id); else others++;
    return { mine, others };
  }
  toggle(id, ownerId) {
    if (this.items.has(id)) this.items.delete(id); else this.items.set(id, ownerId);
    this.anchor = id;
  }
  add(list) { for (const x of list) this.items.set(x.id, x.ownerId); }
  remove(list) { for (const x of list) this.items.delete(x.id); }
  clear() { this.items.clear(); this.anchor = null; }
}
