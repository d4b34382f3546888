import type { CoreConfig } from '../config.ts';
import { createCarrierClaimExecutor } from './claims/carrier-claim-executor.ts';
import { type ClaimWindows, loadClaimWindows } from './claims/claim-windows.ts';
import type { DocumentSink } from './document-sink.ts';
import { createCustomerEmailExecutor } from './email/customer-email-executor.ts';
import { createSmtpMailer } from './email/smtp-mailer.ts';
import type { FollowUpExecutor } from './follow-up-executor.ts';
import { merchantReturnAddressOf } from './return-label/merchant-return-address.ts';
import { createReturnLabelExecutor } from './return-label/return-label-executor.ts';

export interface CustomerAndCarrierExecutors {
  /** customer_email, return_label, carrier_claim. */
  executors: FollowUpExecutor[];
  /** The claim windows in force, for the scheduler's alerts (closingWithin). */
  windows: ClaimWindows;
  /** Closes the SMTP connections. */
  close(): void;
}

/**
 * The executors that write to customers and carriers, from the settings, checked at start: a
 * claim windows file or a merchant return address that is wrong stops the start with a ConfigError.
 */
export async function createCustomerAndCarrierExecutors(core: CoreConfig, documents: DocumentSink): Promise<CustomerAndCarrierExecutors> {
  const merchant = merchantReturnAddressOf(core);
  const windows = await loadClaimWindows(core.CLAIM_WINDOWS_FILE);
  const mailer = createSmtpMailer(core);
  return {
    executors: [createCustomerEmailExecutor(mailer), createReturnLabelExecutor({ mailer, documents, merchant }), createCarrierClaimExecutor({ documents, windows })],
    windows,
    close: () => mailer.close(),
  };
}
