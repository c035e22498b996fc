// Svelte's compiler options for the web app (the defaults: runes mode).
export default {};
