/** High-usage courtesy calls (issue 15): the worklist, call outcomes, a leak check in one click. */
export { CourtesyPage } from "./components/CourtesyPage";
