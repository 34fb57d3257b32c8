/** Billing screens (issue 11): reads, bill runs, rate schedules; BudgetPanel for Account 360. */
export { BudgetPanel } from "./components/BudgetPanel";
export { RatesPage } from "./components/RatesPage";
export { ReadsPage } from "./components/ReadsPage";
export { RunPage } from "./components/RunPage";
export { RunsPage } from "./components/RunsPage";
