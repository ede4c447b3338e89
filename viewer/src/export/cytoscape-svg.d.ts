// cytoscape-svg ships no types: it registers cy.svg(options) → the SVG markup.
declare module 'cytoscape-svg' {
  import type cytoscape from 'cytoscape';
  const register: cytoscape.Ext;
  export default register;
}
