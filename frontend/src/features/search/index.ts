export { GlobalSearch } from "./components/GlobalSearch";
export type { SearchHit } from "./api/useSearch";
