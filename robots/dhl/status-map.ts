import type { StatusReason } from '../../src/domain/status-reason.ts';
import type { TrackingStatus } from '../../src/domain/tracking-status.ts';

export interface StatusMapping {
  status: TrackingStatus;
  reason?: StatusReason;
}

/**
 * DHL Unified `statusCode` (carrier-apis.md 3.4): five coarse codes, the same for every DHL
 * service. They carry no out-for-delivery, no pickup point and no cause: the texts below do.
 */
const STATUS_CODES: Readonly<Record<string, StatusMapping>> = {
  // The sender sent DHL the shipment data (label printed); DHL has not scanned the parcel yet.
  'pre-transit': { status: 'pending', reason: 'retailer_label_created' },
  // DHL has the parcel and it moves; the text may say more (out for delivery, at a pickup point...).
  transit: { status: 'in_transit' },
  // DHL delivered it; the text may say it went back to the sender or waits at a pickup point.
  delivered: { status: 'delivered' },
  // An exception stopped the delivery, cause in the text. Without a recognised text, a failed
  // delivery is the closest status (karrio maps it the same way; third-party).
  failure: { status: 'delivery_failed' },
  // DHL itself does not know where the parcel is.
  unknown: { status: 'unknown' },
};

/**
 * Phrases of DHL's free text (`status`, `description`, `remark`), in English and German (parcel-de
 * answers in German with `language=de`). Sources: the real parcel-de capture of carrier-apis.md
 * 3.8 and the parcel-de wording collected by sauladam/shipment-tracker (third-party); DHL
 * publishes no list. Texts are matched case-insensitively, underscores read as spaces (DHL support:
 * `status` is sometimes a tag such as `customs_inspection`).
 */
const SAYS = {
  // "The shipment is being returned to the sender", "Returned to shipper", "delivered back to the sender", "Die Rücksendung ... wurde eingeleitet".
  returned: /\breturn(ed|ing)?\b.{0,40}\b(sender|shipper|origin)\b|\bbeing returned\b|\bback to (the )?(sender|shipper)\b|rücksendung|retoure|\babsender\w*\b.{0,40}zurück|zurück\w*\b.{0,40}\babsender/,
  // "Shipment cancelled", "Die Sendung wurde storniert".
  cancelled: /\bcancell?ed\b|storniert/,
  // "The recipient has refused to accept the shipment", "Die Annahme der Sendung wurde verweigert".
  refused: /\brefus(ed|al)\b|verweiger/,
  // "The shipment has been damaged", "Die Sendung wurde beschädigt".
  damaged: /\bdamaged?\b|beschädig/,
  // "The shipment has been lost", "Die Sendung ist verloren gegangen".
  lost: /\b(shipment|parcel|item|package) (is |was |has been )?lost\b|\blost in transit\b|verloren/,
  // "Duties and taxes are payable", "Shipment held - Available upon receipt of payment", "Einfuhrabgaben sind zu zahlen".
  dutiesUnpaid: /\b(duties|duty|taxes|import charges|customs charges)\b.{0,60}\b(unpaid|outstanding|payable|due)\b|\bupon receipt of payment\b|\bawaiting payment\b|(einfuhrabgaben|zollgebühr\w*|zollabgaben).{0,60}(zu (be)?zahlen|fällig|offen)/,
  // "Customs clearance requires an invoice", "Für die Verzollung fehlen Unterlagen".
  customsDocuments: /\b(customs|clearance)\b.{0,60}\b(documents?|paperwork|invoice|information (is )?(missing|required))\b|(zoll|verzollung)\w*.{0,60}(dokument|unterlagen|rechnung)/,
  // "Clearance delay", "pending completion of customs inspection", "Die Sendung wird vom Zoll zurückgehalten".
  customsHeld: /\b(held|hold|delay(ed)?|pending|inspection)\b.{0,40}\b(customs|clearance)\b|\b(customs|clearance)\b.{0,40}\b(held|hold|delay(ed)?|pending|inspection)\b|(zoll|verzollung)\w*.{0,60}(angehalten|zurückgehalten|festgehalten|verzöger|liegt)|(angehalten|zurückgehalten|verzögerung).{0,60}zoll/,
  // "Delayed due to adverse weather conditions", "Die Zustellung verzögert sich aufgrund von Unwetter".
  weather: /\bweather\b|\bstorm\b|\bnatural disaster\b|unwetter|wetter|witterung/,
  // "Delay due to a strike", "höhere Gewalt".
  forceMajeure: /\bforce majeure\b|\bstrike\b|\bindustrial action\b|höhere gewalt|streik/,
  // "The shipment was misrouted", "Die Sendung wurde fehlgeleitet".
  misrouted: /\bmis-?(routed|sorted)\b|fehlgeleitet/,
  // "DHL is attempting to obtain a new delivery address", "eine neue Zustelladresse ... ermitteln".
  newAddressSought: /\bnew delivery address\b|neue zustelladresse/,
  // "Recipient unknown", "The address could not be found", "Empfänger unbekannt".
  addressNotFound: /\b(address|recipient|consignee)\b.{0,40}\b(unknown|not found|could not be (found|located))\b|\bunknown (address|recipient|consignee)\b|(empfänger|adresse|anschrift)\w*.{0,40}(unbekannt|nicht (auffindbar|ermittelbar|gefunden))|unbekannt verzogen/,
  // "The address is incomplete or incorrect", "Incorrect address", "aufgrund eines Adressfehlers".
  addressIncorrect: /\b(incorrect|incomplete|wrong|insufficient|invalid|bad) (delivery )?address\b|\baddress (is |was )?(incorrect|incomplete|wrong|insufficient|invalid)\b|adressfehler|(adresse|anschrift)\w*.{0,30}(fehlerhaft|unvollständig|falsch|ungenügend)|(fehlerhafte|unvollständige|falsche) (adresse|anschrift)/,
  // "Business closed", "Closed on arrival", "Die Filiale war geschlossen" (whole word: "abgeschlossen" is "completed").
  businessClosed: /\b(business|company|premises|shop|office|store) (was |is )?closed\b|\bclosed on arrival\b|\bgeschlossen\b/,
  // "The recipient was not at home", "Der Empfänger wurde nicht angetroffen".
  notHome: /\bnot (at )?home\b|\b(recipient|consignee) (was |is )?(not available|absent|not present)\b|\bnobody (was )?(at home|present|available)\b|nicht angetroffen|nicht zu hause|nicht anwesend/,
  // "The shipment was not picked up by the recipient", "Die Sendung wurde nicht abgeholt".
  notCollected: /\bnot (been )?(collected|picked up)\b|nicht abgeholt/,
  // "Delivery attempt failed", "The shipment could not be delivered", "Es erfolgt ein 2. Zustellversuch".
  attemptFailed: /\bdelivery attempt\b|\battempt(ed)? (at|to) deliver|\battempted delivery\b|\b(could|can) ?not be delivered\b|\bunable to deliver\b|\bundeliverable\b|\bdelivery (was )?(unsuccessful|failed|not possible)\b|zustellversuch|konnte nicht zugestellt|nicht zustellbar|zustellung (war )?nicht möglich/,
  // "The shipment is ready for pick-up at the PACKSTATION", "Awaiting collection", "Die Sendung liegt in der Filiale zur Abholung bereit".
  readyForPickup: /\bready for (pick-?up|collection)\b|\bavailable for (pick-?up|collection)\b|\bawaiting collection\b|\bcan be picked up\b|\bdelivered for pick-?up\b|zur abholung bereit|abholbereit|kann .{0,40}abgeholt werden/,
  // "Out for delivery", "With delivery courier", "loaded onto the delivery vehicle", "Die Sendung wurde in das Zustellfahrzeug geladen".
  outForDelivery: /\bout for delivery\b|\bwith delivery courier\b|\bloaded onto the delivery vehicle\b|\bon (the )?(delivery )?vehicle for delivery\b|\bbeing delivered\b|\bdelivery is expected (to take place )?today\b|zustellfahrzeug geladen|\bin zustellung\b|zustellung erfolgt voraussichtlich heute/,
  // "Shipment on hold", "Die Sendung wurde angehalten".
  onHold: /\bon hold\b|\bheld\b|angehalten|zurückgehalten/,
  // "Shipment delayed", "Die Sendung verzögert sich".
  delayed: /\bdelay(ed)?\b|verzöger|verspätet/,
  // "Shipment picked up", "posted by the sender at the retail outlet", "Die Sendung wurde vom Absender in der Filiale eingeliefert".
  pickedUp: /\bpicked up\b|\bpick-?up (was )?successful\b|\bposted by the sender\b|\bdropped off\b|\bhanded (in|over) (to dhl|at)\b|eingeliefert|wurde abgeholt/,
} as const satisfies Record<string, RegExp>;

type Phrase = keyof typeof SAYS;

interface StatusRule {
  says: Phrase;
  status: TrackingStatus;
  /** Also applies to a `delivered` event; the other rules never turn a delivery into something else. */
  evenWhenDelivered?: true;
}

/** What the parcel's state is, read from the text: the first rule whose phrase the text holds wins. */
const STATUS_RULES: readonly StatusRule[] = [
  // Going back (or gone back) to the sender: what matters most, whatever the cause.
  { says: 'returned', status: 'return_to_sender', evenWhenDelivered: true },
  // Cancelled by the sender or DHL: the shipment will not move.
  { says: 'cancelled', status: 'cancelled' },
  // Reported damaged: a claim may follow.
  { says: 'damaged', status: 'damaged' },
  // Declared lost: a claim follows.
  { says: 'lost', status: 'lost' },
  // Held by customs until duties are paid.
  { says: 'dutiesUnpaid', status: 'on_hold' },
  // Held by customs until documents come.
  { says: 'customsDocuments', status: 'on_hold' },
  // Held or slowed by customs.
  { says: 'customsHeld', status: 'on_hold' },
  // DHL waits for a better address before trying again.
  { says: 'newAddressSought', status: 'on_hold' },
  // Late because of the weather; it still moves.
  { says: 'weather', status: 'delivery_delayed' },
  // Late because of a strike or a disaster.
  { says: 'forceMajeure', status: 'delivery_delayed' },
  // Sent the wrong way; it comes back on track later.
  { says: 'misrouted', status: 'delivery_delayed' },
  // The recipient refused it at the door.
  { says: 'refused', status: 'delivery_failed' },
  // Nobody by that name or address could be found.
  { says: 'addressNotFound', status: 'delivery_failed' },
  // The address on the label is wrong or incomplete.
  { says: 'addressIncorrect', status: 'delivery_failed' },
  // The recipient's business was closed.
  { says: 'businessClosed', status: 'delivery_failed' },
  // The recipient was out.
  { says: 'notHome', status: 'delivery_failed' },
  // Not collected from the pickup point in time (a return usually follows, matched above).
  { says: 'notCollected', status: 'delivery_failed' },
  // Any other failed attempt, including "a 2nd attempt is being made".
  { says: 'attemptFailed', status: 'delivery_failed' },
  // Waiting at a retail outlet or PACKSTATION; DHL may code it `delivered`, yet the customer has nothing.
  { says: 'readyForPickup', status: 'ready_for_pickup', evenWhenDelivered: true },
  // On the round: DHL has no code for it (carrier-apis.md 3.4), only these words.
  { says: 'outForDelivery', status: 'out_for_delivery' },
  // Held by DHL for a reason the text does not give.
  { says: 'onHold', status: 'on_hold' },
  // Late for a reason the text does not give.
  { says: 'delayed', status: 'delivery_delayed' },
  // Handed over to DHL (posted at an outlet, collected from the sender).
  { says: 'pickedUp', status: 'picked_up' },
];

/** Why, read from the text: the first rule whose phrase the text holds wins. */
const REASON_RULES: readonly { says: Phrase; reason: StatusReason }[] = [
  // Refused by the recipient (the usual cause of a return).
  { says: 'refused', reason: 'consignee_refused' },
  // Damaged in DHL's hands.
  { says: 'damaged', reason: 'carrier_damaged_parcel' },
  // Lost by DHL.
  { says: 'lost', reason: 'carrier_parcel_lost' },
  // Import duties or taxes unpaid.
  { says: 'dutiesUnpaid', reason: 'customs_duties_unpaid' },
  // Customs documents missing.
  { says: 'customsDocuments', reason: 'customs_documentation' },
  // Customs hold or inspection.
  { says: 'customsHeld', reason: 'customs_delay' },
  // Bad weather.
  { says: 'weather', reason: 'weather_delay' },
  // Strike, disaster.
  { says: 'forceMajeure', reason: 'force_majeure' },
  // Sorted to the wrong place.
  { says: 'misrouted', reason: 'carrier_sorting_error' },
  // DHL is looking for a better address: the one given did not work.
  { says: 'newAddressSought', reason: 'consignee_incorrect_address' },
  // Address or recipient not found.
  { says: 'addressNotFound', reason: 'carrier_address_not_found' },
  // Address wrong or incomplete.
  { says: 'addressIncorrect', reason: 'consignee_incorrect_address' },
  // Business closed.
  { says: 'businessClosed', reason: 'consignee_business_closed' },
  // Recipient out.
  { says: 'notHome', reason: 'consignee_not_home' },
  // Left uncollected at the pickup point.
  { says: 'notCollected', reason: 'consignee_not_collected' },
];

/** What an event's code and texts say, or undefined when DHL sent a code this map does not know. */
export function mapDhlEvent(statusCode: string, texts: readonly (string | undefined)[]): StatusMapping | undefined {
  if (!Object.hasOwn(STATUS_CODES, statusCode)) return undefined;
  const byCode = STATUS_CODES[statusCode]!;
  // An unknown state stays unknown: DHL says it does not know, whatever words come with it.
  if (byCode.status === 'unknown') return byCode;
  const text = texts.filter((part) => part !== undefined).join(' \n ').replace(/_/g, ' ').toLowerCase();
  const delivered = byCode.status === 'delivered';
  const statusRule = STATUS_RULES.find((rule) => (!delivered || rule.evenWhenDelivered) && SAYS[rule.says].test(text));
  const reason = REASON_RULES.find((rule) => SAYS[rule.says].test(text))?.reason;
  // The code's own reason (a label created) only holds while the code decides the status.
  const mapping: StatusMapping = statusRule ? { status: statusRule.status } : { ...byCode };
  if (reason !== undefined) mapping.reason = reason;
  return mapping;
}

/** The codes this map knows, for tests and the review of unmapped codes. */
export const KNOWN_STATUS_CODES: readonly string[] = Object.keys(STATUS_CODES);
