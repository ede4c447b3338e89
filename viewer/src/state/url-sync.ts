// Keeps the address bar in step with the view (replaceState, debounced), so the URL can be
// shared at any moment; and reads it back at start-up.
import { debounce } from '../dom.js';
import type { Viewer } from '../viewer.js';
import { encodeState, URL_NODE_LIMIT } from './url.js';

export function syncUrl(viewer: Viewer): () => void {
  let warned = false;
  const write = debounce(() => {
    const state = viewer.viewState();
    // Past the limit the address keeps only the filters (and the colouring run): say so once, rather than drop the graph silently.
    const over = state.nodes.length > URL_NODE_LIMIT;
    if (over && !warned) viewer.status(`${state.nodes.length} nodes are more than a shared link holds (${URL_NODE_LIMIT}): the address keeps only the filters and the cluster colouring, not the nodes or collapsed clusters. Save the investigation to share this view.`);
    warned = over;
    const query = encodeState(state);
    if (query !== location.search) history.replaceState(null, '', `${location.pathname}${query}`);
  }, 250);
  const bind = () => viewer.cy.on('dragfree select unselect', write);
  bind();
  viewer.on('cy', bind);
  for (const ev of ['graph', 'filters', 'investigation', 'clustering'] as const) viewer.on(ev, write);
  return write;
}
