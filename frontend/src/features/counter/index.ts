export { CounterPage } from "./components/CounterPage";
