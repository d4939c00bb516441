// Turns an API error (ApiRequestError from api/http.ts, or anything thrown) into what a form shows:
// one message per field (from the envelope's field-level details) plus a summary for the rest.
// Checked by hand (no zod here: forms are on the start-up path of the project list, see api/schemas.ts).
interface ErrorLike {
  code?: string;
  message?: string;
  details?: unknown;
}

const optional = (v: unknown, type: 'string' | 'number') => v === undefined || typeof v === type;

function errorLike(error: unknown): ErrorLike | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, code, message, details } = error as Record<string, unknown>;
  if (!optional(status, 'number') || !optional(code, 'string') || !optional(message, 'string')) return null;
  return { code: code as string | undefined, message: message as string | undefined, details };
}

/** The envelope's field-level details, or null unless every entry is { field?: string | null, message: string }. */
function detailList(details: unknown): { field: string | null; message: string }[] | null {
  if (!Array.isArray(details)) return null;
  const out: { field: string | null; message: string }[] = [];
  for (const d of details) {
    if (typeof d !== 'object' || d === null) return null;
    const { field, message } = d as Record<string, unknown>;
    if (typeof message !== 'string' || !(field === undefined || field === null || typeof field === 'string')) return null;
    out.push({ field: field ?? null, message });
  }
  return out;
}

export interface FormErrors {
  fields: Record<string, string>;
  summary: string | null;
}

const OFFLINE_MESSAGE = 'You are offline. Connect to the internet and try again.';

export function formErrors(error: unknown, knownFields: readonly string[]): FormErrors {
  if (error instanceof TypeError) return { fields: {}, summary: OFFLINE_MESSAGE };
  const parsed = errorLike(error);
  if (!parsed) return { fields: {}, summary: 'Something went wrong. Please try again.' };
  const { code, message, details } = parsed;
  const fields: Record<string, string> = {};
  const leftovers: string[] = [];
  const list = detailList(details);
  if (list) {
    for (const detail of list) {
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
