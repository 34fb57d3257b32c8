export { ConservationPage } from "./components/ConservationPage";
