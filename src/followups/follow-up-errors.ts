/** No follow-up has this id: the CLI says so with exit 2, the web app with 404. */
export class UnknownFollowUpError extends Error {
  constructor(readonly id: string) {
    super(`no follow-up ${id.slice(0, 80)}: list them with parcelbot followups`);
    this.name = 'UnknownFollowUpError';
  }
}

/** The follow-up is not in a state that allows this (approving one already done...): exit 2, or 409. */
export class FollowUpStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FollowUpStateError';
  }
}

/**
 * Thrown by an executor that must not act yet (a carrier claim before its window opens): the
 * runtime puts the follow-up back to `proposed`, due at `until` (audited `deferred` with `why`),
 * and its job waits until then like any follow-up not due yet (follow-up-processor.ts). Nothing
 * outside parcelbot may have been acted on before it is thrown.
 */
export class FollowUpDeferral extends Error {
  constructor(
    readonly until: Date,
    readonly why: string,
  ) {
    super(`put off until ${until.toISOString()}: ${why}`);
    this.name = 'FollowUpDeferral';
  }
}
