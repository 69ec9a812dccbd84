// Not type-checked by `tsc -p .` (tsconfig.json excludes it and its importer): the type error is the fixture.
// Shared declarations with a type error (a string where a bit width belongs): reported with this file's path.
import { record, u } from 'tickforge/dsl';
export const Fill = record('Fill', { qty: u('32') });
