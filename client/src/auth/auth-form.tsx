// Login and register share one form: labelled fields, inline errors per field from the API envelope,
// a summary for everything else, and a button that says what it is doing.
import { useState, type FormEvent } from 'react';
import { FormField } from '../components/form-field.tsx';
import { formErrors, type FormErrors } from '../components/form-errors.ts';

export interface AuthField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password';
  autoComplete: string;
  hint?: string;
  /** Checked before sending, so obvious mistakes get an answer without a round trip. */
  validate?: (value: string) => string | null;
}

interface AuthFormProps {
  title: string;
  submitLabel: string;
  busyLabel: string;
  fields: AuthField[];
  onSubmit: (values: Record<string, string>) => Promise<void>;
}

export function AuthForm({ title, submitLabel, busyLabel, fields, onSubmit }: AuthFormProps) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, ''])));
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, summary: null });
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    for (const field of fields) {
      const message = field.validate?.(values[field.name] ?? '');
      if (message) local[field.name] = message;
    }
    if (Object.keys(local).length > 0) {
      setErrors({ fields: local, summary: null });
      focusFirstInvalid(fields, local);
      return;
    }
    setBusy(true);
    setErrors({ fields: {}, summary: null });
    try {
      await onSubmit(values);
    } catch (error) {
      const next = formErrors(error, fields.map((f) => f.name));
      setErrors(next);
      focusFirstInvalid(fields, next.fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="auth-card" onSubmit={submit} noValidate aria-busy={busy}>
      <h1>{title}</h1>
      {errors.summary && (
        <div className="alert alert-error" role="alert">
          {errors.summary}
        </div>
      )}
      {fields.map((field) => (
        <FormField key={field.name} label={field.label} error={errors.fields[field.name]} hint={field.hint}>
          <input
            name={field.name}
            type={field.type}
            autoComplete={field.autoComplete}
            value={values[field.name] ?? ''}
            onChange={(event) => setValues((v) => ({ ...v, [field.name]: event.target.value }))}
            required
          />
        </FormField>
      ))}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}

function focusFirstInvalid(fields: AuthField[], errors: Record<string, string>) {
  const first = fields.find((f) => errors[f.name]);
  if (first) requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`input[name="${first.name}"]`)?.focus());
}

export const validateEmail = (value: string) =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter an email address like name@example.com';
