/**
 * DOM helpers the drag and drop listeners share.
 */

/** Add `listener` for each event type; the result removes them all. */
export function listen(
  target: EventTarget,
  types: readonly string[],
  listener: EventListenerObject,
  capture = false
): () => void {
  types.forEach(type => target.addEventListener(type, listener, capture));
  return () => types.forEach(type => target.removeEventListener(type, listener, capture));
}

/** A hidden live label naming where a drop would go, appended to `parent`. */
export function makeDropLabel(parent: HTMLElement, extraClass = ''): HTMLElement {
  const label = document.createElement('div');
  label.className = `jp-EosBrowser-dropLabel ${extraClass}`.trim();
  label.setAttribute('role', 'status');
  label.setAttribute('aria-live', 'polite');
  label.hidden = true;
  parent.appendChild(label);
  return label;
}
