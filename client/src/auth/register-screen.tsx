import { Link } from '../components/link.tsx';
import { navigate, paths } from '../router.ts';
import { AuthForm, validateEmail } from './auth-form.tsx';
import { useSession } from './session.ts';

export function RegisterScreen() {
  const register = useSession((s) => s.register);
  return (
    <main className="auth-page" id="main">
      <div>
        <AuthForm
          title="Create your account"
          submitLabel="Create account"
          busyLabel="Creating account…"
          fields={[
            {
              name: 'full_name',
              label: 'Full name',
              type: 'text',
              autoComplete: 'name',
              validate: (v) => (v.trim() ? null : 'Enter your name'),
            },
            { name: 'email', label: 'Email', type: 'email', autoComplete: 'email', validate: validateEmail },
            {
              name: 'password',
              label: 'Password',
              type: 'password',
              autoComplete: 'new-password',
              hint: 'At least 8 characters. A long phrase is easiest to remember.',
              validate: (v) => (v.length >= 8 ? null : 'Use at least 8 characters'),
            },
          ]}
          onSubmit={async (values) => {
            await register({ email: values.email!.trim(), password: values.password!, full_name: values.full_name!.trim() });
            navigate(paths.projects(), { replace: true });
          }}
        />
        <p className="auth-switch">
          Already have an account? <Link href={paths.login()}>Sign in</Link>
        </p>
      </div>
    </main>
  );
}
