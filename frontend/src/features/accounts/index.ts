export { Account360Page } from "./components/Account360Page";
