// Types for jaro-winkler 0.2.8 (the package ships none): similarity of two strings, 0–1.
declare module 'jaro-winkler' {
  function distance(a: string, b: string, options?: { caseSensitive?: boolean }): number;
  export default distance;
}
