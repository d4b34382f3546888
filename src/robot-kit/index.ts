/** The only core module robots may import (with src/domain). */
export { defineRobot } from './define-robot.ts';
export { checkSelectors, pageNotReached } from './selector-checks.ts';
export type { RateLimit, Robot, RobotCapabilities, RobotDefinition, SelectorCheck, TrackOutcome } from './define-robot.ts';
export type { IssuedToken, TokenCache } from './token-cache.ts';
export type { RobotContext, Clock, Logger } from './robot-context.ts';
export type { HttpClient, HttpRequest, HttpResponse } from './http-client.ts';
export { RobotError, EVIDENCE_BODY_MAX } from './robot-error.ts';
export type { Evidence } from './robot-error.ts';
export { ERROR_CODES } from './error-codes.ts';
export type { ErrorCode } from './error-codes.ts';
export { httpEvidence, msToNextGmtDay, parseRetryAfter, throwForCommonStatus } from './http-status.ts';
export { matchDatasetFormats } from './tracking-formats.ts';
export type { DatasetCourier, FormatMatch } from './tracking-formats.ts';
export type { CookieHttp, CookieHttpResponse, OneTimeCodes, Page, PortalAccount, PortalPage, PortalSessions } from './portal.ts';
export {
  blankPersonalData,
  fillField,
  htmlEvidence,
  namedAfterStep,
  openPage,
  pageEvidence,
  playwrightReason,
  portalUrl,
  readPage,
  requireElement,
  runStep,
  SERVER_RENDERED_WAIT_MS,
  submitForm,
} from './portal-steps.ts';
export { BLANKED, withoutPersonalData } from './personal-data.ts';
export { joinUrl } from './join-url.ts';
export { AllowedHosts } from './allowed-hosts.ts';
export { withoutTokens } from './without-tokens.ts';
export { describeIssue, readJsonPayload, readOrderRecord } from './json-payload.ts';
export { accessToken, MAX_TOKEN_LIFETIME_SECONDS, pausingAfterRefusal, REFUSED_CREDENTIALS_PAUSE_MS } from './oauth-token.ts';
export { boundaryOf, parseHeaderLines, splitMultipart } from './multipart.ts';
export type { BodyPart } from './multipart.ts';
