// A function the compiler cannot see into: declared without a body, as a package's .d.ts declares its exports
// (a helper with a body in a design file, like ./lib-shared.ts in test/docs/examples, is inlined).
export declare function fee(qty: number): number;
