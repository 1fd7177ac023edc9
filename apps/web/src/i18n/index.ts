import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { nl } from './nl';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language is kept per user (their token's subject), and for whoever has not signed in yet. */
const storageKey = (subject: string | null) => `maatlat.language.${subject ?? 'anonymous'}`;

export function storedLanguage(subject: string | null): Language {
  const stored = localStorage.getItem(storageKey(subject)) ?? localStorage.getItem(storageKey(null));
  return stored === 'en' || stored === 'nl' ? stored : 'nl';
}

export function chooseLanguage(language: Language, subject: string | null): void {
  localStorage.setItem(storageKey(subject), language);
  if (subject) localStorage.setItem(storageKey(null), language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export function startI18n(subject: string | null) {
  const lng = storedLanguage(subject);
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    resources: { nl: { translation: nl }, en: { translation: en } },
    lng,
    fallbackLng: 'nl',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return i18next;
}

/** A model's own text in the chosen language (models carry both). */
export function localised(text: { nl: string; en: string } | undefined, language: string): string {
  if (!text) return '';
  return language === 'en' ? text.en : text.nl;
}
