/**
 * English and Spanish for the portal (react-i18next). The language is the customer's choice,
 * kept in this browser; the first visit takes the browser's language. Money and dates follow
 * it too (`useLocale`).
 */
import i18n from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";

import { en } from "./locales/en";
import { es } from "./locales/es";

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = "tapline.portal.language";

function initial(): Language {
  try {
    const saved = globalThis.localStorage?.getItem(KEY);
    if (saved === "en" || saved === "es") return saved;
  } catch {
    // no storage: the browser's language
  }
  return globalThis.navigator?.language?.toLowerCase().startsWith("es") ? "es" : "en";
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es } },
  lng: initial(),
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

function syncDocument(lng: string): void {
  if (typeof document !== "undefined") document.documentElement.lang = lng;
}
syncDocument(i18n.language);
i18n.on("languageChanged", syncDocument);

export function chooseLanguage(lng: Language): void {
  try {
    localStorage.setItem(KEY, lng);
  } catch {
    // remembered for this page only
  }
  void i18n.changeLanguage(lng);
}

/** The Intl locale of the chosen language: US dollars and dates as a US customer reads them. */
export function useLocale(): string {
  const { i18n: current } = useTranslation();
  return current.language === "es" ? "es-US" : "en-US";
}

export default i18n;
