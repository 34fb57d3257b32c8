export { CashieringPage } from "./components/CashieringPage";
