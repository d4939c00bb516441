-- 0001_init: the whole product's schema.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): only core features (gen_random_uuid() is core since 13).
--
-- Sources of truth:
--   * users, auth_sessions, projects, project_members, attachment_blobs, idempotency_keys: this database.
--   * Board content (tasks, comments, tags, task_tags, attachments): each project's Yjs document, stored as
--     yjs_snapshots + yjs_updates. Those relational tables are PROJECTIONS written by the sync server in the
--     same transaction as the update log rows. They can be rebuilt from the documents, so ids and user ids in
--     them come from documents and carry no foreign keys to users (a buggy client may write any UUID there;
--     a foreign key would turn that into a failed persist, which must never happen).

CREATE TABLE users (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email             text NOT NULL,
  password_hash     text NOT NULL,
  full_name         text NOT NULL,
  avatar_url        text,
  is_instance_admin boolean NOT NULL DEFAULT false,
  is_active         boolean NOT NULL DEFAULT true,
  deactivated_at    timestamptz,
  last_login_at     timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- One row per refresh token. Rotation marks the presented row rotated and inserts its successor in the same
-- family; presenting a rotated token again revokes the whole family (reuse detection).
CREATE TABLE auth_sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id      uuid NOT NULL,
  token_hash     text NOT NULL,
  expires_at     timestamptz NOT NULL,          -- absolute end of the family: login + REFRESH_TOKEN_TTL
  rotated_at     timestamptz,
  revoked_at     timestamptz,
  revoked_reason text,
  user_agent     text,
  ip             text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX auth_sessions_token_hash_key ON auth_sessions (token_hash);
CREATE INDEX auth_sessions_user_id_idx ON auth_sessions (user_id);
CREATE INDEX auth_sessions_family_id_idx ON auth_sessions (family_id);

CREATE TABLE projects (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  status      text NOT NULL DEFAULT 'ACTIVE'
              CHECK (status IN ('PLANNING', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'ARCHIVED')),
  color       text,
  start_date  date,
  end_date    date,
  created_by  uuid NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz,
  CONSTRAINT projects_dates_ordered CHECK (start_date IS NULL OR end_date IS NULL OR start_date <= end_date)
);
CREATE INDEX projects_created_by_idx ON projects (created_by);
CREATE INDEX projects_status_idx ON projects (status) WHERE deleted_at IS NULL;
CREATE INDEX projects_lower_name_idx ON projects (lower(name));

CREATE TABLE project_members (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('ADMIN', 'MANAGER', 'MEMBER', 'VIEWER')),
  added_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT project_members_project_user_key UNIQUE (project_id, user_id)
);
CREATE INDEX project_members_user_id_idx ON project_members (user_id);
CREATE INDEX project_members_added_by_idx ON project_members (added_by);

-- ---------------------------------------------------------------------------------------------------------
-- Projections of the project documents (see shared/DOC-MODEL.md for the fields' meaning).
-- ---------------------------------------------------------------------------------------------------------

CREATE TABLE tasks (
  id              uuid PRIMARY KEY,
  project_id      uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  title           text NOT NULL DEFAULT '',
  description     text NOT NULL DEFAULT '',
  status          text NOT NULL CHECK (status IN ('TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE', 'ARCHIVED')),
  priority        text NOT NULL CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
  assignee_id     uuid,
  reporter_id     uuid,
  due_date        date,
  estimated_hours double precision,
  actual_hours    double precision,
  rank            text NOT NULL DEFAULT '',
  checklist       jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz,
  deleted_at      timestamptz
);
-- Board order and the API's filters; partial indexes serve the common "not deleted" case.
CREATE INDEX tasks_project_status_rank_idx ON tasks (project_id, status, rank, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_created_idx ON tasks (project_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_updated_idx ON tasks (project_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_due_idx ON tasks (project_id, due_date, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_priority_idx ON tasks (project_id, priority, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_all_idx ON tasks (project_id, created_at, id);
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, project_id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_reporter_idx ON tasks (reporter_id, project_id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_search_idx ON tasks
  USING gin (to_tsvector('simple', title || ' ' || description));

CREATE TABLE comments (
  id                uuid PRIMARY KEY,
  project_id        uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  task_id           uuid NOT NULL,
  parent_comment_id uuid,
  author_id         uuid,
  content           text NOT NULL DEFAULT '',
  created_at        timestamptz NOT NULL DEFAULT now(),
  edited_at         timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz
);
CREATE INDEX comments_project_idx ON comments (project_id);
CREATE INDEX comments_task_created_idx ON comments (task_id, created_at);
CREATE INDEX comments_parent_idx ON comments (parent_comment_id);
CREATE INDEX comments_author_idx ON comments (author_id);

CREATE TABLE tags (
  id         uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name       text NOT NULL,
  color      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX tags_project_idx ON tags (project_id);

CREATE TABLE task_tags (
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  task_id    uuid NOT NULL,
  tag_id     uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, tag_id)
);
CREATE INDEX task_tags_tag_idx ON task_tags (tag_id, task_id);
CREATE INDEX task_tags_project_idx ON task_tags (project_id);

CREATE TABLE attachments (
  id          uuid PRIMARY KEY,
  project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  task_id     uuid NOT NULL,
  name        text NOT NULL,
  size        bigint NOT NULL DEFAULT 0,
  mime        text NOT NULL DEFAULT 'application/octet-stream',
  sha256      text,
  uploaded_by uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE INDEX attachments_project_idx ON attachments (project_id);
CREATE INDEX attachments_task_idx ON attachments (task_id);
CREATE INDEX attachments_sha256_idx ON attachments (sha256);
CREATE INDEX attachments_uploaded_by_idx ON attachments (uploaded_by);

-- Content-addressed file bodies (the default attachment storage; see sync-server attachments storage interface).
CREATE TABLE attachment_blobs (
  sha256     text PRIMARY KEY,
  size       bigint NOT NULL,
  data       bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Who changed what, attributed from the authenticated connection or REST caller, never from document fields.
CREATE TABLE activity_log (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  task_id     uuid,
  user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   uuid,
  changes     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_log_project_created_idx ON activity_log (project_id, created_at DESC, id DESC);
CREATE INDEX activity_log_task_created_idx ON activity_log (task_id, created_at DESC, id DESC);
CREATE INDEX activity_log_user_idx ON activity_log (user_id, created_at DESC);
CREATE INDEX activity_log_action_idx ON activity_log (project_id, action);

-- ---------------------------------------------------------------------------------------------------------
-- Yjs storage: document = newest snapshot + every log row after it (id > snapshot.last_update_id).
-- ---------------------------------------------------------------------------------------------------------

CREATE TABLE yjs_updates (
  id         bigserial PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  update     bytea NOT NULL,
  user_id    uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX yjs_updates_project_id_idx ON yjs_updates (project_id, id);
CREATE INDEX yjs_updates_user_id_idx ON yjs_updates (user_id);

CREATE TABLE yjs_snapshots (
  project_id     uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  state          bytea NOT NULL,            -- Y.encodeStateAsUpdate of the compacted document
  state_vector   bytea NOT NULL,            -- Y.encodeStateVector of the same document
  last_update_id bigint NOT NULL,           -- every yjs_updates row with id <= this is folded into state
  update_count   integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Idempotency-Key on POST: the first response is stored and replayed for a retry with the same key.
CREATE TABLE idempotency_keys (
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key           text NOT NULL,
  method        text NOT NULL,
  path          text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer,
  response_body jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
