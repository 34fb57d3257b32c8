export { AccountRebates } from "./components/AccountRebates";
export { ConservationPage } from "./components/ConservationPage";
