/** The text of a bundle's predict.mjs, provided by the Vite plugin in src/node/vite-predict-runtime.ts. */
declare module 'virtual:predict-runtime' {
  const source: string;
  export default source;
}
