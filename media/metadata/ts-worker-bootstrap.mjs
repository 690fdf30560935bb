// Starts a TypeScript worker under tsx (tests run from source). Node 20 does not apply
// `--import tsx` to a worker's entry module, so register tsx's loader here first, then import
// the .ts entry named in argv. Compiled builds start their .js workers directly and never use it.
import { register } from "tsx/esm/api";

register();
await import(process.argv[2]);
