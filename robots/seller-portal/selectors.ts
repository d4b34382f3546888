/**
 * Every selector and path the robot reads the seller portal with, in one place. After a redesign,
 * `parcelbot portal check seller-portal` lists the ones that no longer match: fix them here.
 * The same strings serve cheerio (HTTP mode, and parsing in both modes) and Playwright (browser
 * mode fills and submits forms with them), so keep to plain CSS both understand.
 *
 * Form fields are found by `name` and the sign-in error by `role`: a redesign renames ids and
 * classes, but the server still reads the same field names and screen readers need the role.
 */

/** Paths from SELLER_PORTAL_URL. */
export const PATHS = {
  login: 'login',
  orders: 'orders',
  order: (orderRef: string) => `orders/${encodeURIComponent(orderRef)}`,
  refundForm: (orderRef: string) => `orders/${encodeURIComponent(orderRef)}/refund`,
} as const;

/** What a page says went wrong: a refused sign-in, filter or form. */
export const ALERT = '[role="alert"]';

export const LOGIN = {
  form: 'form:has(input[name="password"])',
  email: 'input[name="email"]',
  password: 'input[name="password"]',
  /** Why a sign-in was refused; its text tells a locked account from a wrong password. */
  error: ALERT,
} as const;

/** Seen on every page once signed in: the sign-out form. */
export const SIGNED_IN = 'form[action$="/logout"]';

/** Any form's button (browser mode clicks it; HTTP mode posts the form's fields). */
export const SUBMIT = '[type="submit"]';

/** The text of `LOGIN.error` when the account is locked rather than the password wrong. */
export const LOCKED_TEXT = /\blocked\b/i;

export const ORDER_LIST = {
  /** `data-count`: how many orders match the filters, over every page. */
  count: '#orders-count[data-count]',
  table: 'table#orders',
  row: 'table#orders > tbody > tr.order-row',
  /** Absent on the last page. */
  next: 'nav.pagination a[rel="next"]',
  /** Any link to an order page: `portal check` reaches an order through it even when the rows no longer match. */
  anyOrderLink: 'a[href*="/orders/"]',
} as const;

/** An order's fields: the same classes in a list row and on the order page. */
export const ORDER = {
  ref: '.order-ref',
  state: '.order-state',
  created: '.created',
  customer: '.customer-name',
  total: '.order-total',
  carrier: '.carrier',
  tracking: '.tracking-number',
  /** One `time[datetime]` for a day, two for a window. */
  promised: '.promised',
  line: '.order-line',
} as const;

export const LINE = {
  sku: '.sku',
  title: '.line-title',
  quantity: '.quantity',
  unitPrice: '.unit-price',
} as const;

export const ORDER_PAGE = {
  root: '#order-detail',
  refunds: 'table#refunds',
  refund: 'table#refunds > tbody > tr.refund',
  refundRef: '.refund-ref',
  refundAmount: '.refund-amount',
  refundReason: '.refund-reason',
} as const;

export const REFUND_FORM = {
  /** The refund page, with or without its form. */
  page: 'section#refund',
  form: 'form#refund-form',
  amount: 'input[name="amount"]',
  reason: 'textarea[name="reason"]',
  /** What is left to refund, in the order's currency. */
  refundable: '#refundable-amount',
  /** Why the form was refused, or why there is no form (a cancelled order). */
  error: ALERT,
} as const;

export const REFUND_DONE = {
  reference: '#refund-reference',
  amount: '#refund-amount',
} as const;

/**
 * Where the portal shows a customer (name, and address or phone should it show them): blanked
 * from evidence and masked in screenshots. Matched by a word of the class or id rather than the
 * exact `ORDER.customer`, so that a redesigned page, the very page kept as evidence of a changed
 * layout (`ui-customerName`), is blanked too.
 */
export const PERSONAL_CELLS = ['[class*="customer" i]', '[id*="customer" i]', '[class*="address" i]', '[class*="phone" i]', 'a[href^="tel:"]'];

const fieldsWithin = (scope: string, prefix: string): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(ORDER).map(([name, selector]) => [`${prefix}.${name}`, `${scope} ${selector}`])),
  ...Object.fromEntries(Object.entries(LINE).map(([name, selector]) => [`${prefix}.line.${name}`, `${scope} ${ORDER.line} ${selector}`])),
});

/**
 * What `portal check` requires on each page it opens, by name (field selectors within their row
 * or section). The refund confirmation is left out: reaching it means refunding.
 */
export const PAGE_CHECKS = {
  login: { form: LOGIN.form, email: `${LOGIN.form} ${LOGIN.email}`, password: `${LOGIN.form} ${LOGIN.password}`, submit: `${LOGIN.form} ${SUBMIT}` },
  orders: { signedIn: SIGNED_IN, count: ORDER_LIST.count, table: ORDER_LIST.table, row: ORDER_LIST.row, ...fieldsWithin(ORDER_LIST.row, 'row') },
  order: { root: ORDER_PAGE.root, ...fieldsWithin(ORDER_PAGE.root, 'order'), refunds: ORDER_PAGE.refunds },
  'refund form': {
    form: REFUND_FORM.form,
    amount: `${REFUND_FORM.form} ${REFUND_FORM.amount}`,
    reason: `${REFUND_FORM.form} ${REFUND_FORM.reason}`,
    submit: `${REFUND_FORM.form} ${SUBMIT}`,
    refundable: REFUND_FORM.refundable,
  },
} as const satisfies Record<string, Record<string, string>>;

export type CheckedPage = keyof typeof PAGE_CHECKS;
