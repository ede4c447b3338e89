// Right-click menus (cytoscape-context-menus) on nodes, links and the background. Item ids
// become DOM ids, hence the cxt- prefix.
import type { EventObject, NodeSingular } from 'cytoscape';
import type { PathsPanel } from '../panels/paths.js';
import type { TiesPanel } from '../panels/ties.js';
import type { Viewer } from '../viewer.js';

export function mountMenu(viewer: Viewer, paths: PathsPanel, ties: TiesPanel): void {
  const target = (ev: EventObject) => viewer.cy.getElementById((ev.target as { id(): string }).id());
  /** Acts on the whole selection when the clicked element is part of it. */
  const targets = (ev: EventObject) => (target(ev).selected() ? viewer.cy.elements(':selected') : target(ev));
  viewer.cy.contextMenus({
    evtType: 'cxttap',
    menuItems: [
      { id: 'cxt-expand', content: 'Expand (next page) / open group', selector: 'node', onClickFunction: (ev: EventObject) => void viewer.expand(target(ev).id()) },
      { id: 'cxt-collapse', content: 'Collapse', selector: 'node', onClickFunction: (ev: EventObject) => viewer.collapse(target(ev).id()), hasTrailingDivider: true },
      { id: 'cxt-path-from', content: 'Path from here', selector: 'node', onClickFunction: (ev: EventObject) => paths.setEnd('from', target(ev).id()) },
      { id: 'cxt-path-to', content: 'Path to here', selector: 'node', onClickFunction: (ev: EventObject) => paths.setEnd('to', target(ev).id()) },
      { id: 'cxt-ties', content: 'What ties these two', selector: 'node', onClickFunction: (ev: EventObject) => ties.fromMenu(target(ev).id()), hasTrailingDivider: true },
      { id: 'cxt-centre', content: 'Centre', selector: 'node', onClickFunction: (ev: EventObject) => viewer.select(target(ev).id(), true) },
      { id: 'cxt-hide', content: 'Hide', selector: 'node, edge', onClickFunction: (ev: EventObject) => viewer.hide(targets(ev)) },
      { id: 'cxt-remove', content: 'Remove', selector: 'node, edge', onClickFunction: (ev: EventObject) => viewer.remove(targets(ev)) },
      { id: 'cxt-fit', content: 'Fit', selector: '', coreAsWell: true, onClickFunction: () => viewer.fit() },
      { id: 'cxt-show-hidden', content: 'Show hidden', selector: '', coreAsWell: true, onClickFunction: () => viewer.showHidden() },
      { id: 'cxt-undo', content: 'Undo', selector: '', coreAsWell: true, onClickFunction: () => viewer.history.undo() },
      { id: 'cxt-redo', content: 'Redo', selector: '', coreAsWell: true, onClickFunction: () => viewer.history.redo() },
    ],
  });
}

/** Double-click expands; hovering a node lifts its label above the crowd. */
export function bindGestures(viewer: Viewer): void {
  const cy = viewer.cy;
  cy.on('dbltap', 'node', (ev) => void viewer.expand((ev.target as NodeSingular).id()));
  cy.on('mouseover', 'node', (ev) => (ev.target as NodeSingular).addClass('hover'));
  cy.on('mouseout', 'node', (ev) => (ev.target as NodeSingular).removeClass('hover'));
}
