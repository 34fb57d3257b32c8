/** How long a text message is: characters, and the parts a phone receives it in (GSM-7 fits
 * 160 characters in one part, 153 per part when split; anything else, such as "ñ" or "á"
 * outside GSM's basic set, is sent as UCS-2: 70, then 67 per part). */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

export interface SmsLength {
  characters: number;
  parts: number;
  encoding: "GSM-7" | "UCS-2";
}

export function smsLength(text: string): SmsLength {
  const chars = [...text];
  const gsm = chars.every((c) => GSM_BASIC.includes(c) || GSM_EXTENDED.includes(c));
  if (gsm) {
    const units = chars.reduce((n, c) => n + (GSM_EXTENDED.includes(c) ? 2 : 1), 0);
    return { characters: chars.length, encoding: "GSM-7",
      parts: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = chars.reduce((n, c) => n + (c.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  return { characters: chars.length, encoding: "UCS-2",
    parts: units <= 70 ? 1 : Math.ceil(units / 67) };
}
