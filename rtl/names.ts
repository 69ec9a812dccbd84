// The naming step lives in the middle end (codegen/names.ts) so the Verilog and the HLS back ends read one result.
export { Names } from '../codegen/names.ts';
