// Properties: invariants a unit declares over each output record and the params it was computed with. The model
// checks them on every step (Model.violations); `tickforge prove` proves them on the generated Verilog
// (sim/formal, docs/proofs.md). Their bodies are ordinary TypeScript, evaluated as written by the model and
// translated, exactly, by the compiler (codegen/frontend/properties.ts) for the solver.

/** What a property sees: the output record of one step, and the params that step read. */
export interface PropertyView<O, P> {
  readonly out: O;
  readonly params: P;
}

/** A property: true when the output record `out`, computed with `params`, satisfies it. */
export type Property<O = any, P = any> = (v: PropertyView<O, P>) => boolean;

/** Logical implication, `!a || b`, readable in a property. */
export function implies(a: boolean, b: boolean): boolean {
  return !a || b;
}

/** One property violated by the model: which, at which step (0-based count of `step` calls) and on what. */
export interface Violation {
  readonly property: string;
  readonly step: number;
  readonly out: unknown;
}
