// A helper in another file: the compiler does not look into it.
export function fee(qty: number): number {
  return qty * 2;
}
