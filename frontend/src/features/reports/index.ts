/** The Reports page (issue 11): every report the four services offer. */
export { ReportsPage } from "./components/ReportsPage";
