export { NightlyPage } from "./components/NightlyPage";
