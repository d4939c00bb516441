// The project fields form, used by the create dialog and the settings screen. Checks what the server
// would refuse (empty name, bad dates) before sending, and shows the server's field errors inline.
import { useState, type FormEvent } from 'react';
import { PROJECT_STATUSES, type ProjectStatus } from '../../../shared/api.ts';
import { FormField } from '../components/form-field.tsx';
import { formErrors, type FormErrors } from '../components/form-errors.ts';

export interface ProjectFormValues {
  name: string;
  description: string;
  color: string;
  status: ProjectStatus;
  start_date: string;
  end_date: string;
}

export const DEFAULT_PROJECT_COLOR = '#1f5fc9';
export const EMPTY_PROJECT: ProjectFormValues = {
  name: '',
  description: '',
  color: DEFAULT_PROJECT_COLOR,
  status: 'ACTIVE',
  start_date: '',
  end_date: '',
};

export const STATUS_LABELS: Record<ProjectStatus, string> = {
  PLANNING: 'Planning',
  ACTIVE: 'Active',
  ON_HOLD: 'On hold',
  COMPLETED: 'Completed',
  ARCHIVED: 'Archived',
};

const FIELDS = ['name', 'description', 'color', 'status', 'start_date', 'end_date'];

export function validateProject(values: ProjectFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Give the project a name';
  else if (values.name.trim().length > 200) errors.name = 'Use at most 200 characters';
  if (values.start_date && values.end_date && values.end_date < values.start_date) {
    errors.end_date = 'The end date cannot be before the start date';
  }
  return errors;
}

interface ProjectFormProps {
  initial: ProjectFormValues;
  submitLabel: string;
  onSubmit: (values: ProjectFormValues) => Promise<void>;
  onCancel?: () => void;
  readOnly?: boolean;
}

export function ProjectForm({ initial, submitLabel, onSubmit, onCancel, readOnly }: ProjectFormProps) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, summary: null });
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ProjectFormValues>) => setValues((v) => ({ ...v, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = validateProject(values);
    if (Object.keys(local).length > 0) {
      setErrors({ fields: local, summary: null });
      return;
    }
    setBusy(true);
    setErrors({ fields: {}, summary: null });
    try {
      await onSubmit({ ...values, name: values.name.trim() });
    } catch (error) {
      setErrors(formErrors(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      {errors.summary && (
        <div className="alert alert-error" role="alert">
          {errors.summary}
        </div>
      )}
      <fieldset disabled={readOnly || busy} className="plain-fieldset">
        <FormField label="Name" error={errors.fields.name}>
          <input type="text" value={values.name} onChange={(e) => set({ name: e.target.value })} required maxLength={200} />
        </FormField>
        <FormField label="Description" error={errors.fields.description}>
          <textarea value={values.description} onChange={(e) => set({ description: e.target.value })} rows={3} />
        </FormField>
        <div className="form-row">
          <FormField label="Status" error={errors.fields.status}>
            <select value={values.status} onChange={(e) => set({ status: e.target.value as ProjectStatus })}>
              {PROJECT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </FormField>
          <FormField label="Color" error={errors.fields.color}>
            <input type="color" value={values.color} onChange={(e) => set({ color: e.target.value })} />
          </FormField>
        </div>
        <div className="form-row">
          <FormField label="Start date" error={errors.fields.start_date}>
            <input type="date" value={values.start_date} onChange={(e) => set({ start_date: e.target.value })} />
          </FormField>
          <FormField label="End date" error={errors.fields.end_date}>
            <input type="date" value={values.end_date} onChange={(e) => set({ end_date: e.target.value })} />
          </FormField>
        </div>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : submitLabel}
          </button>
        </div>
      )}
    </form>
  );
}

/** Form values -> API fields: empty dates become null. */
export function toProjectInput(values: ProjectFormValues) {
  return {
    name: values.name.trim(),
    description: values.description,
    color: values.color || null,
    status: values.status,
    start_date: values.start_date || null,
    end_date: values.end_date || null,
  };
}
