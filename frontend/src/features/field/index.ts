export { FieldWorklist } from "./components/FieldWorklist";
export { OrdersBoard } from "./components/OrdersBoard";
