import { Link } from '../components/link.tsx';
import { navigate, paths, safeNext } from '../router.ts';
import { AuthForm, validateEmail } from './auth-form.tsx';
import { useSession } from './session.ts';

export function LoginScreen() {
  const login = useSession((s) => s.login);
  return (
    <main className="auth-page" id="main">
      <div>
        <AuthForm
          title="Sign in to Fieldboard"
          submitLabel="Sign in"
          busyLabel="Signing in…"
          fields={[
            { name: 'email', label: 'Email', type: 'email', autoComplete: 'username', validate: validateEmail },
            {
              name: 'password',
              label: 'Password',
              type: 'password',
              autoComplete: 'current-password',
              validate: (v) => (v ? null : 'Enter your password'),
            },
          ]}
          onSubmit={async (values) => {
            await login({ email: values.email!.trim(), password: values.password! });
            navigate(safeNext(window.location.search), { replace: true });
          }}
        />
        <p className="auth-switch">
          New here? <Link href={paths.register()}>Create an account</Link>
        </p>
      </div>
    </main>
  );
}
