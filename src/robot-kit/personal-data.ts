/**
 * Fields of marketplace payloads that hold a customer's personal data (Mirakl OR11 `customer`,
 * Amazon `BuyerInfo` / `ShippingAddress`). Order payloads are full of them, and a payload kept as
 * evidence must not carry them.
 */
const PERSONAL_KEYS = [
  'firstname', 'lastname', 'civility', 'customer_id', 'phone', 'phone_secondary', 'street_1', 'street_2', 'additional_info',
  'company', 'company_2', 'customer_notification_email', 'email', 'BuyerEmail', 'BuyerName', 'Name', 'AddressLine1',
  'AddressLine2', 'AddressLine3', 'Phone', 'PurchaseOrderNumber', 'CompanyLegalName',
];

const PERSONAL_FIELD = new RegExp(`("(?:${PERSONAL_KEYS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');
/**
 * An address starts where a run of address characters starts (the lookbehind): tried from every
 * position inside a long run without an `@` (a base64 blob, a 100 KB token), the match would scan
 * the rest of the run each time, quadratic time that froze the worker for minutes on a large body.
 */
const EMAIL = /(?<![^\s"'<>@])[^\s"'<>@]+@[^\s"'<>@]+\.[A-Za-z]{2,}/g;

/**
 * The payload with every personal field's value and every e-mail address blanked. Works on text,
 * so a truncated (invalid) JSON body is cleaned as well as a whole one.
 */
export function withoutPersonalData(body: string): string {
  return body.replace(PERSONAL_FIELD, '$1"[redacted]"').replace(EMAIL, '[redacted e-mail]');
}
