// ContentDirectory Search for the media server: parse SearchCriteria, run it on the Library.
export { parseSearchCriteria } from "./search-criteria.js";
export { searchLibrary } from "./search-library.js";
export { SEARCH_CAPABILITIES, type SearchExpression } from "./search-expression.js";
