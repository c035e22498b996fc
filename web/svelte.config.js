// Svelte's compiler options for the web app (otherwise the defaults: runes
// mode). No version stamp on window: it costs the first visit a request of
// its own (a chunk) and tells visitors nothing they need.
export default { compilerOptions: { discloseVersion: false } };
