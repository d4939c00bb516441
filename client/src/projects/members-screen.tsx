// Members: invite by email with a role, change roles, remove. Every control is offered only when
// shared/roles.ts says the signed-in user may make that exact change; the server checks again.
import { useState, type FormEvent } from 'react';
import { ROLES, canChangeMember, type Role } from '../../../shared/roles.ts';
import type { Member } from '../../../shared/schemas/projects.ts';
import { useSession } from '../auth/session.ts';
import { Avatar } from '../components/avatar.tsx';
import { FormField } from '../components/form-field.tsx';
import { formErrors, type FormErrors } from '../components/form-errors.ts';
import { Link } from '../components/link.tsx';
import { paths } from '../router.ts';
import { addMember, changeRole, removeMember } from './project-store.ts';
import { roleLabel } from './project-list-screen.tsx';
import { useProjectDetail } from './use-project-detail.ts';

export function MembersScreen({ projectId }: { projectId: string }) {
  const me = useSession((s) => s.user);
  const { detail, error, loading, reload } = useProjectDetail(projectId);
  const [actionError, setActionError] = useState<string | null>(null);
  const myRole = detail?.my_role ?? null;
  const admins = detail?.members.filter((m) => m.role === 'ADMIN').length ?? 0;

  const run = async (action: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await action();
      await reload();
    } catch (caught) {
      setActionError(formErrors(caught, []).summary);
    }
  };

  return (
    <main className="page narrow" id="main">
      <div className="page-header">
        <h1>Members{detail ? `: ${detail.name}` : ''}</h1>
        <Link className="button" href={paths.board(projectId)}>
          Back to board
        </Link>
      </div>
      {error && !detail && (
        <p className="alert alert-error" role="alert">
          {error.code === 'NETWORK' ? 'The member list needs a connection. It will load when you are back online.' : error.message}
        </p>
      )}
      {loading && !detail && <p className="empty" role="status">Loading members…</p>}
      {actionError && (
        <p className="alert alert-error" role="alert">
          {actionError}
        </p>
      )}
      {detail && canChangeMember(myRole, null, 'VIEWER') && (
        <InviteForm myRole={myRole} onInvite={(email, role) => addMember(projectId, { email, role }).then(reload)} />
      )}
      {detail && (
        <table className="members-table">
          <caption className="visually-hidden">Project members</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.members.map((member) => (
              <MemberRow
                key={member.user_id}
                member={member}
                isMe={member.user_id === me?.id}
                myRole={myRole}
                lastAdmin={member.role === 'ADMIN' && admins <= 1}
                onRole={(role) => run(() => changeRole(projectId, member.user_id, role))}
                onRemove={() => run(() => removeMember(projectId, member.user_id))}
              />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function MemberRow(props: {
  member: Member;
  isMe: boolean;
  myRole: Role | null;
  lastAdmin: boolean;
  onRole: (role: Role) => void;
  onRemove: () => void;
}) {
  const { member, isMe, myRole, lastAdmin } = props;
  const name = member.full_name || member.email;
  const roleOptions = ROLES.filter((role) => role === member.role || canChangeMember(myRole, member.role, role));
  const canEditRole = !lastAdmin && roleOptions.length > 1;
  const canRemove = !lastAdmin && canChangeMember(myRole, member.role, null);
  return (
    <tr>
      <td>
        <span className="member-name">
          <Avatar id={member.user_id} name={name} />
          <span>
            {name}
            {isMe && <span className="muted"> (you)</span>}
            <br />
            <span className="muted">{member.email}</span>
          </span>
        </span>
      </td>
      <td>
        {canEditRole ? (
          <select aria-label={`Role of ${name}`} value={member.role} onChange={(e) => props.onRole(e.target.value as Role)}>
            {roleOptions.map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </select>
        ) : (
          <span className="badge" title={lastAdmin ? 'A project needs at least one admin' : undefined}>
            {roleLabel(member.role)}
          </span>
        )}
      </td>
      <td>
        {canRemove && (
          <button type="button" className="danger" onClick={props.onRemove} aria-label={`Remove ${name}`}>
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}

function InviteForm({ myRole, onInvite }: { myRole: Role | null; onInvite: (email: string, role: Role) => Promise<unknown> }) {
  const grantable = ROLES.filter((role) => canChangeMember(myRole, null, role));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(grantable.includes('MEMBER') ? 'MEMBER' : grantable[0]!);
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, summary: null });
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setErrors({ fields: { email: 'Enter an email address like name@example.com' }, summary: null });
      return;
    }
    setBusy(true);
    try {
      await onInvite(email.trim(), role);
      setErrors({ fields: {}, summary: null });
      setDone(`${email.trim()} was added as ${roleLabel(role)}.`);
      setEmail('');
    } catch (caught) {
      const next = formErrors(caught, ['email', 'role']);
      const notFound = (caught as { code?: string }).code === 'NOT_FOUND';
      setErrors(notFound ? { fields: { email: 'No Fieldboard account uses this email yet.' }, summary: null } : next);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="invite-form" onSubmit={submit} noValidate aria-label="Add a member">
      <FormField label="Email of the person to add" error={errors.fields.email}>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
      </FormField>
      <FormField label="Role" error={errors.fields.role}>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {grantable.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </FormField>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add member'}
      </button>
      {errors.summary && (
        <p className="field-error" role="alert">
          {errors.summary}
        </p>
      )}
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
    </form>
  );
}
