// Turns an API error (ApiRequestError from api/http.ts, or anything thrown) into what a form shows:
// one message per field (from the envelope's field-level details) plus a summary for the rest.
import { z } from 'zod';

const DetailsSchema = z.array(z.object({ field: z.string().nullable().optional(), message: z.string() }));
const ErrorLikeSchema = z.object({
  status: z.number().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  details: z.unknown().optional(),
});

export interface FormErrors {
  fields: Record<string, string>;
  summary: string | null;
}

const OFFLINE_MESSAGE = 'You are offline. Connect to the internet and try again.';

export function formErrors(error: unknown, knownFields: readonly string[]): FormErrors {
  if (error instanceof TypeError) return { fields: {}, summary: OFFLINE_MESSAGE };
  const parsed = ErrorLikeSchema.safeParse(error);
  if (!parsed.success) return { fields: {}, summary: 'Something went wrong. Please try again.' };
  const { code, message, details } = parsed.data;
  const fields: Record<string, string> = {};
  const leftovers: string[] = [];
  const list = DetailsSchema.safeParse(details);
  if (list.success) {
    for (const detail of list.data) {
      const field = detail.field ?? '';
      if (knownFields.includes(field) && !fields[field]) fields[field] = sentence(detail.message);
      else leftovers.push(detail.message);
    }
  }
  let summary: string | null = null;
  if (code === 'RATE_LIMITED') summary = message ?? 'Too many attempts. Wait a moment and try again.';
  else if (Object.keys(fields).length === 0) summary = message ?? 'Something went wrong. Please try again.';
  else if (leftovers.length > 0) summary = leftovers.map(sentence).join(' ');
  return { fields, summary };
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed ? trimmed[0]!.toUpperCase() + trimmed.slice(1) : trimmed;
}
