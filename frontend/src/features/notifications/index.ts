/** Customer notifications (issue 16): templates, undeliverable addresses, the development inbox,
 * and an account's messages for Account 360 (the app composes it there). */
export { AccountMessages } from "./components/AccountMessages";
export { NotificationsPage } from "./components/NotificationsPage";
