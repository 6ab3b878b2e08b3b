/**
 * Message keys of `_locales/en/messages.json` as a type, and the browser's substitution rules as a
 * pure function: the core and the tests translate the same way the browser's i18n API does.
 */
import type english from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof english;
export type Translate = (key: MessageKey, substitutions?: string | readonly string[]) => string;

export interface LocaleMessage {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

/** `$NAME$` → its placeholder's content (where `$1`…`$9` are substitutions); `$$` → `$`. */
export function formatMessage(entry: LocaleMessage, substitutions: readonly string[]): string {
  const fill = (text: string): string => text.replace(/\$(\d)/g, (_, digit: string) => substitutions[Number(digit) - 1] ?? '');
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (match, name: string | undefined) => {
    if (name === undefined) return '$';
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder === undefined ? match : fill(placeholder.content);
  });
}

/** A Translate over a messages.json object (unknown keys give the key, as a visible mistake). */
export function translatorFor(messages: Record<string, LocaleMessage>): Translate {
  return (key, substitutions = []) => {
    const entry = messages[key];
    if (entry === undefined) return key;
    return formatMessage(entry, typeof substitutions === 'string' ? [substitutions] : substitutions);
  };
}
