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
