// The `radius` package ships no types; raw-radius.ts gives it the ones in radius-package-types.ts.
declare module 'radius' {
  const radius: unknown;
  export default radius;
}
