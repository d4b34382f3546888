/**
 * Every selector the robot uses on the relay portal, by page: the one file to change when the
 * portal's pages change. `parcelbot portal check` (check-portal.ts) opens each page and checks
 * each selector of its `*_PAGE` object, which the page always shows, and of CLAIM_ROWS and
 * CLAIM_PAGE when the account has a claim. The `*_STATES` ones appear only after some outcome (a
 * refused login or form, an empty search, a long list) and RETURN_LABEL_PAGE only once a label
 * is made: they are read, never provoked by a check. Ids and classes only: form field names are
 * the server's business and may stay when a redesign moves everything else.
 */

/** Paths from RELAY_PORTAL_URL. */
export const PATHS = {
  login: '/login',
  search: (query: string) => `/search?q=${encodeURIComponent(query)}`,
  claimForm: (trackingNumber: string) => `/claims/new?tracking=${encodeURIComponent(trackingNumber)}`,
  claims: '/claims',
  returnForm: (trackingNumber: string) => `/returns/new?tracking=${encodeURIComponent(trackingNumber)}`,
};

export const LOGIN_PAGE = {
  form: '#login-form',
  email: '#login-email',
  password: '#login-password',
  submit: '#login-submit',
};

/** The login's outcomes: a second-factor form, or an alert on the login page. */
export const LOGIN_STATES = {
  refused: '.alert-error',
  locked: '.alert-locked',
};

/** Asked after the password for accounts with a second factor; the same `refused` alert when the code is wrong. */
export const CODE_PAGE = {
  form: '#totp-form',
  code: '#totp-code',
  submit: '#totp-submit',
};

/** On every page once logged in: the account's name in the header. */
export const LOGGED_IN = {
  account: '#account-name',
};

/**
 * The results are drawn by the page's script once its search answered; without a query it lists
 * the account's recent shipments, so an account with parcels always shows result rows.
 */
export const SEARCH_PAGE = {
  form: '#parcel-search',
  query: '#parcel-query',
  results: '#search-results',
  item: '#search-results .result-item',
  link: '#search-results .result-link',
};

export const SEARCH_STATES = {
  /** A query that matches no parcel. */
  none: '#search-results .no-results',
  /** The search API failed (a passing fault of the carrier's back end): the page says to try again. */
  failed: '#search-results .search-error',
};

export const PARCEL_PAGE = {
  number: '#parcel-number',
  /** The headline status; its `data-code` is the newest event's code. */
  status: '#parcel-status',
  service: '#parcel-service',
  events: '#parcel-events',
  eventRow: '#parcel-events tr.event-row',
  /** The cells of an event row: `<time datetime>` with the offset, code, label, location. */
  eventDate: '.event-date time',
  eventCode: '.event-code',
  eventLabel: '.event-label',
  eventLocation: '.event-location',
};

export const PARCEL_STATES = {
  /** `<time datetime>` at the start of the day expected at the relay, while one is expected. */
  estimate: '#parcel-estimate time',
};

export const CLAIM_FORM_PAGE = {
  form: '#claim-form',
  type: '#claim-type',
  trackingNumber: '#claim-tracking',
  declaredValue: '#claim-value',
  description: '#claim-description',
  evidence: '#claim-evidence',
  submit: '#claim-submit',
};

/** A refused claim or return form comes back with one of these per problem. */
export const FORM_STATES = {
  error: '.form-error',
};

/** The claim's page: the receipt after filing, and where the claims list links to. */
export const CLAIM_PAGE = {
  reference: '#claim-reference',
  status: '#claim-status',
};

export const CLAIMS_PAGE = {
  table: '#claims-table',
};

/** Rows of the claims list (none before the first claim) and their cells. */
export const CLAIM_ROWS = {
  row: '#claims-table tr.claim-row',
  reference: '.claim-ref',
  referenceLink: '.claim-ref a',
  trackingNumber: '.claim-row-tracking',
  type: '.claim-row-type',
  status: '.claim-row-status',
  updated: '.claim-row-updated time',
  note: '.claim-row-note',
};

export const CLAIMS_STATES = {
  /** Older claims are on further pages. */
  nextPage: 'a.next-page',
};

export const RETURN_FORM_PAGE = {
  form: '#return-form',
  trackingNumber: '#return-tracking',
  submit: '#return-submit',
};

/** Reached only by creating a label: not checked by `portal check`. */
export const RETURN_LABEL_PAGE = {
  returnNumber: '#return-tracking-number',
  download: '#return-label-download',
};

/**
 * Where the portal shows the parcel's recipient (name, phone): never read by the robot, blanked
 * from evidence and masked in screenshots. Matched by a word of the id or class rather than the
 * exact one, so that a redesigned page, the very page kept as evidence of a changed layout, is
 * blanked too. The relay point's address is a shop's, not personal: kept, it helps read a failure.
 */
export const PERSONAL_CELLS = ['[id*="recipient" i]', '[class*="recipient" i]', '[id*="customer" i]', '[class*="customer" i]', 'a[href^="tel:"]'];
