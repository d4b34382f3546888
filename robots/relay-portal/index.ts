import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ClaimRequest, ClaimState } from '../../src/domain/claim.ts';
import { AllowedHosts, defineRobot, htmlEvidence, type Page, type PortalAccount, type PortalPage, portalUrl, RobotError, type TrackOutcome } from '../../src/robot-kit/index.ts';
import { checkPages } from './check-portal.ts';
import { checkRelayNumber, recognizeRelay } from './formats.ts';
import { parseClaimReceipt, parseClaimsPage, parseFormErrors, parseParcelPage, parseReturnLabelPage, parseSearchResults } from './parse.ts';
import { createReturnLabel, downloadLabel, logIn, openClaimsPage, openParcel, searchParcel, sendClaim } from './portal.ts';
import { PATHS, PERSONAL_CELLS } from './selectors.ts';

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 15000';
const NOT_EMPTY = 'must not be empty';

const config = z.object({
  // No default: the carrier is reached at the address of the shop's own business account.
  RELAY_PORTAL_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) address of the relay business portal, e.g. https://pro.relay.example' }).optional(),
  // Optional so that parcelbot starts without them; each call then fails with ROBOT_NOT_CONFIGURED.
  RELAY_PORTAL_LOGIN: z.string({ error: NOT_EMPTY }).min(1, { error: NOT_EMPTY }).optional(),
  RELAY_PORTAL_PASSWORD: z.string({ error: NOT_EMPTY }).min(1, { error: NOT_EMPTY }).optional(),
  // Authenticator apps show the key in groups of four: spaces are dropped.
  RELAY_PORTAL_TOTP_SECRET: z
    .string()
    .transform((secret) => secret.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z2-7]{16,}=*$/, { error: 'must be the base32 key of the account\'s authenticator (letters A-Z and digits 2-7, 16 or more)' }))
    .optional(),
  RELAY_PORTAL_TIMEOUT_MS: z.coerce.number({ error: TIMEOUT_MESSAGE }).int({ error: TIMEOUT_MESSAGE }).positive({ error: TIMEOUT_MESSAGE }).default(15_000),
});

type Settings = z.infer<typeof config>;

/** How many claims-list pages are read at most, so a portal that always links a next page cannot loop. */
const MAX_CLAIMS_PAGES = 50;

/** The account from the settings; the first missing one is named. */
function accountOf(settings: Settings): PortalAccount {
  const { RELAY_PORTAL_URL: baseUrl, RELAY_PORTAL_LOGIN: login, RELAY_PORTAL_PASSWORD: password, RELAY_PORTAL_TOTP_SECRET: totpSecret } = settings;
  const missing = [baseUrl === undefined && 'RELAY_PORTAL_URL', login === undefined && 'RELAY_PORTAL_LOGIN', password === undefined && 'RELAY_PORTAL_PASSWORD'].filter(Boolean);
  if (baseUrl === undefined || login === undefined || password === undefined) {
    throw new RobotError('ROBOT_NOT_CONFIGURED', `${missing.join(', ')} not set: the relay robot logs in to the carrier's business portal with the shop's account (address, e-mail, password; RELAY_PORTAL_TOTP_SECRET too when the account has an authenticator)`);
  }
  // The key names the session in logs and Redis: a hash, so the login (an e-mail) appears nowhere.
  const key = `relay-portal:${createHash('sha256').update(`${baseUrl}\n${login}`).digest('hex').slice(0, 16)}`;
  const account = { key, baseUrl, login, password, personalCells: PERSONAL_CELLS };
  return totpSecret === undefined ? account : { ...account, totpSecret };
}

export default defineRobot({
  id: 'relay-portal',
  title: 'Relay parcel carrier (business portal: tracking, claims, return labels)',
  kind: 'portal',
  // One number per search. The portal documents no quota: one look-up every two seconds keeps a
  // robot well below what a person clicking through the portal does (RELAY_PORTAL_RATE_LIMIT overrides it).
  capabilities: { track: { maxBatch: 1, rateLimit: { max: 30, durationMs: 60_000 } } },
  config,
  checkTrackingNumber: checkRelayNumber,
  recognize: recognizeRelay,
  create(context, settings) {
    const timeoutMs = settings.RELAY_PORTAL_TIMEOUT_MS;
    /** `work` on a page of the account's logged-in session; the runtime logs in with `logIn` when needed. */
    const onPortal = <T>(work: (page: Page, account: PortalAccount) => Promise<T>): Promise<T> => {
      const account = accountOf(settings);
      return context.portal.withPage(
        account,
        (page, codes) => {
          page.setDefaultTimeout(timeoutMs);
          return logIn(page, account, context.clock, codes);
        },
        (page) => {
          page.setDefaultTimeout(timeoutMs);
          return work(page, account);
        },
      );
    };

    async function trackOne(trackingNumber: string): Promise<TrackOutcome> {
      const problem = checkRelayNumber(trackingNumber);
      if (problem) return { trackingNumber, kind: 'rejected', error: new RobotError('TRACKING_NUMBER_INVALID', problem) };
      return onPortal(async (page, { baseUrl }) => {
        const parcelUrl = parseSearchResults(await searchParcel(page, baseUrl, trackingNumber, timeoutMs), trackingNumber);
        if (parcelUrl === undefined) return { trackingNumber, kind: 'not_found', message: `the relay portal finds no parcel ${trackingNumber} in the account` };
        return { trackingNumber, kind: 'found', snapshot: parseParcelPage(await openParcel(page, parcelUrl), trackingNumber) };
      });
    }

    return {
      async track(numbers: readonly string[]): Promise<TrackOutcome[]> {
        const outcomes: TrackOutcome[] = [];
        for (const number of numbers) outcomes.push(await trackOne(number));
        return outcomes;
      },

      /**
       * A claim of this type still open for this parcel, on any page of the list, is answered
       * instead of filing another: a retry after the portal registered the claim, but before its
       * receipt was read, must not file it twice, however many claims were filed since. The
       * portal's list has no filter by parcel, so it is read to the end when there is none.
       */
      async fileClaim(claim: ClaimRequest) {
        checkClaim(claim);
        const isOpen = (filed: ClaimState) => filed.trackingNumber === claim.trackingNumber && filed.type === claim.type && filed.status !== 'refused';
        return onPortal(async (page, { baseUrl }) => {
          const { claims, unread } = await readClaims(page, baseUrl, (read) => read.some(isOpen));
          const open = claims.find(isOpen);
          if (open) return { reference: open.reference, status: open.status };
          if (unread) {
            throw new RobotError('REQUEST_REFUSED', `the claims list goes on past ${MAX_CLAIMS_PAGES} pages: not read to the end, so no claim was filed (one may be open already); file it by hand on the portal`);
          }
          const answer = await sendClaim(page, baseUrl, claim);
          refusedForm(answer, 'claim');
          return parseClaimReceipt(answer);
        });
      },

      async claimStatus(references: readonly string[]): Promise<ClaimState[]> {
        if (references.length === 0) return [];
        const { claims } = await onPortal((page, { baseUrl }) => readClaims(page, baseUrl, (read) => references.every((reference) => read.some((claim) => claim.reference === reference))));
        const found = new Map(claims.map((claim) => [claim.reference, claim]));
        // In the order asked; a reference the portal does not list is left out.
        return references.flatMap((reference) => found.get(reference) ?? []);
      },

      async returnLabel(trackingNumber: string) {
        return onPortal(async (page, { baseUrl }) => {
          const answer = await createReturnLabel(page, baseUrl, trackingNumber);
          refusedForm(answer, 'return label');
          const { returnTrackingNumber, downloadUrl } = parseReturnLabelPage(answer);
          // A link read from the page: fetched by the context's request API, which the browser's routing does not see.
          new AllowedHosts([baseUrl]).check('GET', downloadUrl);
          const { pdf, fileName } = await downloadLabel(page, downloadUrl, timeoutMs);
          return { fileName: fileName ?? `return-${returnTrackingNumber}.pdf`, pdf, returnTrackingNumber };
        });
      },

      async checkPortal() {
        return onPortal((page, account) => checkPages(page, account.baseUrl, timeoutMs, (work) => context.portal.withLoggedOutPage(account, work)));
      },
    };
  },
});

/**
 * The claims list, newest first, page after page until `enough` of it is read or it ends; at most
 * MAX_CLAIMS_PAGES pages, `unread` when the list went on past them.
 */
async function readClaims(page: Page, baseUrl: string, enough: (claims: readonly ClaimState[]) => boolean): Promise<{ claims: ClaimState[]; unread: boolean }> {
  const claims: ClaimState[] = [];
  let next: string | undefined = portalUrl(baseUrl, PATHS.claims);
  for (let read = 0; next !== undefined && read < MAX_CLAIMS_PAGES; read++) {
    const { claims: listed, nextPage } = parseClaimsPage(await openClaimsPage(page, next));
    claims.push(...listed);
    next = enough(claims) ? undefined : nextPage;
  }
  return { claims, unread: next !== undefined };
}

/** What the claim form would refuse in the browser itself (required fields, positive value), refused here with a reason. */
function checkClaim(claim: ClaimRequest): void {
  const problem =
    claim.currency !== 'EUR'
      ? `the relay portal takes declared values in EUR only, not ${claim.currency}`
      : !(Number.isFinite(claim.declaredValue) && claim.declaredValue > 0)
        ? 'the declared value must be more than 0'
        : claim.description.trim() === ''
          ? 'the claim needs a description'
          : undefined;
  if (problem) throw new RobotError('CARRIER_BAD_REQUEST', problem);
}

/** A form the portal sent back with errors: the portal's business answer, final; the request must change. */
function refusedForm(answer: PortalPage, what: string): void {
  const errors = parseFormErrors(answer);
  if (errors.length > 0) {
    throw new RobotError('REQUEST_REFUSED', `the relay portal refused the ${what}: ${errors.join(' ')}`, { evidence: htmlEvidence(answer) });
  }
}
