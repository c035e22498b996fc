// Keeps Tab and Shift+Tab inside a modal: from the last control back to the
// first and the other way round (a modal <dialog> alone lets focus leave
// for the browser's own controls). Use as <dialog {@attach trapFocus}>.
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function trapFocus(el) {
  function onkeydown(e) {
    if (e.key !== 'Tab') return;
    const all = [...el.querySelectorAll(FOCUSABLE)].filter((x) => x.offsetParent !== null || x === document.activeElement);
    if (!all.length) return;
    const first = all[0], last = all[all.length - 1];
    if (e.shiftKey && (document.activeElement === first || !el.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !el.contains(document.activeElement))) {
      e.preventDefault();
      first.focus();
    }
  }
  el.addEventListener('keydown', onkeydown);
  return () => el.removeEventListener('keydown', onkeydown);
}
