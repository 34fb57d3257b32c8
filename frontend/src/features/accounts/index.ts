export { Account360Page } from "./components/Account360Page";
export { PremisePage } from "./components/PremisePage";
