/** What replaces personal data in evidence. */
export const BLANKED = '[blanked]';

/**
 * Keys under which payloads carry a customer's personal data, matched whatever their case:
 * marketplaces (Mirakl OR11 `customer`, Amazon `BuyerInfo` / `ShippingAddress`) and carriers
 * (DHL `receiver` / `sender` / `proofOfDelivery.signed` persons, UPS `packageAddress` and
 * `deliveryInformation` with its signature and photo, FedEx `contact` blocks, `streetLines` and
 * `deliveryDetails`). Their values are blanked; the keys stay, so the payload's shape can still be
 * read. `name` is a person's name in every carrier format read (DHL Person, UPS ship-to name).
 */
const PERSONAL_KEYS = [
  // Mirakl
  'firstname', 'lastname', 'civility', 'customer_id', 'phone', 'phone_secondary', 'street_1', 'street_2', 'additional_info',
  'company', 'company_2', 'customer_notification_email', 'email',
  // Amazon
  'BuyerEmail', 'BuyerName', 'AddressLine1', 'AddressLine2', 'AddressLine3', 'PurchaseOrderNumber', 'CompanyLegalName',
  // DHL
  'name', 'familyName', 'givenName', 'organizationName', 'streetAddress',
  // UPS
  'attentionName', 'receivedBy', 'image', 'photo', 'content',
  // FedEx
  'receivedByName', 'signedByName', 'personName', 'phoneNumber', 'phoneExtension', 'faxNumber', 'companyName', 'emailAddress',
  'streetLines', 'senderContactName', 'senderEMailAddress', 'authorizationName', 'personalMessage', 'nickname',
];

// A string (its closing quote may be cut off with the body), a number, or an array of either.
const STRING_VALUE = String.raw`"(?:[^"\\]|\\.)*(?:"|$)`;
const SCALAR_VALUE = String.raw`(?:${STRING_VALUE}|-?\d[\d.eE+-]*)`;
const PERSONAL_FIELD = new RegExp(String.raw`("(?:${PERSONAL_KEYS.join('|')})"\s*:\s*)(\[(?:\s*${SCALAR_VALUE}\s*,?)*\]?|${SCALAR_VALUE})`, 'gi');
const SCALAR_IN_ARRAY = new RegExp(SCALAR_VALUE, 'g');

/**
 * An address as people and portals write it (in text, in `value` and `mailto:`): wide rather than
 * exact. Tried only where a run of address characters starts (the lookbehind): from every position
 * of a long run without an `@` (a 100 KB token, a base64 blob), the match took quadratic time.
 */
export const EMAIL_ADDRESS = /(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;

/**
 * Phone numbers as people write them: international (`+33 6 12 34 56 78`, `+447946095800`) or
 * national with a trunk 0 and separators (`06 12 34 56 78`, `01.23.45.67.89`). A 0-led run
 * without separators is left alone: tracking numbers look like that (`0034043493825327594`).
 */
export const PHONE_NUMBER = /(?<![\w+])(?:\+\d{1,3}(?:[ .-]?\(0\))?(?:[ .-]?\d{1,4}){2,6}|\(?0\d{1,4}\)?(?:[ .-]\d{2,4}){2,5})(?!\w)/g;
// Fewer digits is a date (`03-10-2026`), more is no phone line.
const PHONE_DIGITS = { min: 9, max: 15 };

/** `text` with every e-mail address and phone number blanked, wherever they are (payload, page, message). */
export function withoutContactDetails(text: string): string {
  return text.replace(EMAIL_ADDRESS, BLANKED).replace(PHONE_NUMBER, blankPhone);
}

function blankPhone(match: string): string {
  const digits = match.replace(/\D/g, '').length;
  return digits >= PHONE_DIGITS.min && digits <= PHONE_DIGITS.max ? BLANKED : match;
}

/**
 * The payload with every personal field's value, e-mail address and phone number blanked. Works
 * on text, so a truncated (invalid) JSON body, or one that is no JSON at all, is cleaned as well
 * as a whole one. Every evidence body goes through it (RobotError).
 */
export function withoutPersonalData(body: string): string {
  return withoutContactDetails(body.replace(PERSONAL_FIELD, blankField));
}

/**
 * The value blanked as a string (a number too: a phone may be written as one); an array keeps its
 * length. An empty string stays: it tells nothing about anyone, and that a field came empty may be
 * what explains the failure.
 */
function blankField(_field: string, key: string, value: string): string {
  const blank = (scalar: string) => (scalar === '""' ? scalar : `"${BLANKED}"`);
  return key + (value.startsWith('[') ? value.replace(SCALAR_IN_ARRAY, blank) : blank(value));
}
