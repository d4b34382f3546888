/** A compensation claim filed with a carrier (domain.md "Follow-up actions", claim windows). */
export const CLAIM_TYPES = ['lost', 'late', 'damaged'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];

export const CLAIM_STATUSES = ['submitted', 'under_investigation', 'accepted', 'refused', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface ClaimRequest {
  type: ClaimType;
  trackingNumber: string;
  declaredValue: number;
  currency: string;
  description: string;
  /** Evidence attached to the claim (timeline, invoice...), as a PDF. */
  evidencePdf?: { fileName: string; content: Buffer };
}

export interface ClaimReceipt {
  /** The carrier's reference for the claim. */
  reference: string;
  status: ClaimStatus;
}

export interface ClaimState {
  reference: string;
  trackingNumber: string;
  type: ClaimType;
  status: ClaimStatus;
  /** What the carrier last wrote about it (amount paid, refusal reason...). */
  note?: string;
  updatedAt?: string;
}
