// Routes and the app shell: header (navigation, sync status, account), an auth guard, and the screens.
import { useEffect } from 'react';
import { useSession } from './auth/session.ts';
import { AppHeader } from './components/app-header.tsx';
import { lazyComponent } from './components/lazy.tsx';
import { preloadLater } from './preload.ts';
import { navigate, paths, useLocation, useRoute, type Route } from './router.ts';
import { ProjectListScreen } from './projects/project-list-screen.tsx';
import { BoardScreen } from './board/board-screen.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/projects.css';
import './styles/board.css';
import './styles/task.css';
import { startUploadWorker } from './task/attachments-upload.tsx';

// The board and the project list are evaluated at start-up; every other screen on first use (components/lazy.tsx).
const LoginScreen = lazyComponent(() => import('./auth/login-screen.tsx').then((m) => m.LoginScreen));
const RegisterScreen = lazyComponent(() => import('./auth/register-screen.tsx').then((m) => m.RegisterScreen));
const ProjectSettingsScreen = lazyComponent(() => import('./projects/project-settings-screen.tsx').then((m) => m.ProjectSettingsScreen));
const MembersScreen = lazyComponent(() => import('./projects/members-screen.tsx').then((m) => m.MembersScreen));
const DeletedScreen = lazyComponent(() => import('./board/deleted-screen.tsx').then((m) => m.DeletedScreen));
const MyTasksScreen = lazyComponent(() => import('./board/my-tasks-screen.tsx').then((m) => m.MyTasksScreen));

export function App() {
  const status = useSession((s) => s.status);
  const route = useRoute();
  const location = useLocation();
  const isAuthRoute = route.name === 'login' || route.name === 'register';

  useEffect(() => {
    if (status === 'anonymous' && !isAuthRoute) navigate(paths.login(location), { replace: true });
    if (status === 'authenticated' && isAuthRoute) navigate(paths.projects(), { replace: true });
  }, [status, isAuthRoute, location]);

  useEffect(() => {
    document.title = titleFor(route);
  }, [route]);

  // Files attached offline upload whenever the app runs signed in and the network is there.
  useEffect(() => (status === 'authenticated' ? startUploadWorker() : undefined), [status]);

  // The other screens, evaluated once start-up is over: opening one later does not wait for it.
  useEffect(() => {
    if (status !== 'loading') preloadLater();
  }, [status]);

  if (status === 'loading') {
    return (
      <div className="app">
        <p className="empty" role="status">
          Loading Fieldboard…
        </p>
      </div>
    );
  }
  if (isAuthRoute || status !== 'authenticated') {
    return <div className="app">{route.name === 'register' ? <RegisterScreen /> : <LoginScreen />}</div>;
  }
  const projectId = 'projectId' in route ? route.projectId : undefined;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader route={route} projectId={projectId} />
      <div className="app-main">
        <Screen route={route} />
      </div>
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'projects':
      return <ProjectListScreen />;
    case 'my-tasks':
      return <MyTasksScreen />;
    case 'board':
      return <BoardScreen projectId={route.projectId} openTaskId={null} />;
    case 'task':
      return <BoardScreen projectId={route.projectId} openTaskId={route.taskId} />;
    case 'members':
      return <MembersScreen projectId={route.projectId} />;
    case 'settings':
      return <ProjectSettingsScreen projectId={route.projectId} />;
    case 'deleted':
      return <DeletedScreen projectId={route.projectId} />;
    case 'login':
    case 'register':
      return null;
    case 'not-found':
      return (
        <main className="page" id="main">
          <h1>Page not found</h1>
          <p>
            There is nothing at <code>{route.path}</code>. <a href="/">Go to your projects</a>.
          </p>
        </main>
      );
  }
}

function titleFor(route: Route): string {
  const names: Record<Route['name'], string> = {
    login: 'Sign in',
    register: 'Create account',
    projects: 'Projects',
    'my-tasks': 'My tasks',
    board: 'Board',
    task: 'Task',
    members: 'Members',
    settings: 'Project settings',
    deleted: 'Recently deleted',
    'not-found': 'Not found',
  };
  return `${names[route.name]} · Fieldboard`;
}
