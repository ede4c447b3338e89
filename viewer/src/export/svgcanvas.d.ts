// svgcanvas (MIT) ships no types: a stand-in for CanvasRenderingContext2D that records what is
// drawn as SVG elements. Only what graph-svg.ts uses is declared.
declare module 'svgcanvas' {
  export class Context {
    constructor(options: { width: number; height: number; document?: Document });
    translate(x: number, y: number): void;
    scale(x: number, y: number): void;
    /** The SVG drawn so far, serialised (an <svg> root with width and height, no XML declaration). */
    getSerializedSvg(fixNamedEntities?: boolean): string;
  }
}
