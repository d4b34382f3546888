import { z } from 'zod';

/**
 * The JSON part of a `generateLabel` answer (carrier-apis.md 11.2, karrio's Colissimo connector).
 * Ids are strings on the wire ("0", "30000"); a number is read as its text.
 */
const message = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  type: z.string(),
  messageContent: z.string(),
});

export const generateLabelAnswerSchema = z.object({
  messages: z.array(message),
  labelV2Response: z
    .object({
      parcelNumber: z.string().min(1),
      parcelNumberPartner: z.string().nullish(),
      pdfUrl: z.string().nullish(),
    })
    .nullish(),
});

export type GenerateLabelAnswer = z.infer<typeof generateLabelAnswerSchema>;
