export { AccountCollectionsPage } from "./components/AccountCollectionsPage";
export { CollectionsPage } from "./components/CollectionsPage";
