// Keeps the address bar in step with the view (replaceState, debounced), so the URL can be
// shared at any moment; and reads it back at start-up.
import { debounce } from '../dom.js';
import type { Viewer } from '../viewer.js';
import { encodeState } from './url.js';

export function syncUrl(viewer: Viewer): () => void {
  const write = debounce(() => {
    const query = encodeState(viewer.viewState());
    if (query !== location.search) history.replaceState(null, '', `${location.pathname}${query}`);
  }, 250);
  const bind = () => viewer.cy.on('dragfree select unselect', write);
  bind();
  viewer.on('cy', bind);
  for (const ev of ['graph', 'filters', 'investigation'] as const) viewer.on(ev, write);
  return write;
}
