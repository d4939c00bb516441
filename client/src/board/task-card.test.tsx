import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Tag, Task } from '../../../shared/doc-model.ts';
import { render, type Rendered } from '../components/test-render.tsx';
import { TaskCard, type CardContext, type DragBindings } from './task-card.tsx';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

const task: Task = {
  id: '11111111-1111-4111-8111-111111111111',
  title: 'Replace valve',
  description: '',
  status: 'TODO',
  priority: 'URGENT',
  assignee_id: 'u1',
  reporter_id: null,
  due_date: '2020-01-01',
  estimated_hours: null,
  actual_hours: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  completed_at: null,
  deleted_at: null,
  rank: 'a0',
  tag_ids: ['t1', 'gone'],
  checklist: [
    { id: 'c1', text: 'one', done: true },
    { id: 'c2', text: 'two', done: false },
  ],
};
const tag: Tag = { id: 't1', name: 'Plumbing', color: '#2563eb', deleted_at: null };

function ctx(readOnly: boolean): CardContext {
  return {
    projectId: 'p1',
    readOnly,
    memberNames: new Map([['u1', 'Ana López']]),
    tagsById: new Map([['t1', tag]]),
    today: new Date(2026, 0, 10),
    onMove: vi.fn(),
  };
}

describe('TaskCard', () => {
  it('shows priority, overdue due date, assignee, tags, checklist progress and counts', () => {
    view = render(<TaskCard task={task} counts={{ comments: 3, attachments: 1 }} viewers={['Bo']} changed ctx={ctx(false)} />);
    const card = view.container.querySelector('article')!;
    expect(card.getAttribute('aria-label')).toBe('Replace valve');
    const text = card.textContent ?? '';
    expect(text).toContain('Urgent');
    expect(text).toContain('Overdue');
    expect(text).toContain('1/2');
    expect(text).toContain('3 comments');
    expect(text).toContain('1 attachments');
    expect(text).toContain('Plumbing');
    expect(text).toContain('Open by Bo');
    expect(text).toContain('Updated');
    expect(card.querySelector('[aria-label="Assigned to Ana López"]')?.getAttribute('data-initials')).toBe('AL');
    expect(card.querySelector('a')?.getAttribute('href')).toBe(`/projects/p1/tasks/${task.id}`);
  });

  it('marks the title for Element Timing, so the first paint of a card can be measured (bench scenario 7)', () => {
    view = render(<TaskCard task={task} counts={undefined} viewers={undefined} changed={false} ctx={ctx(false)} />);
    expect(view.container.querySelector('a.card-title')?.getAttribute('elementtiming')).toBe('task-card');
  });

  it('gives editors a drag handle and a "Move to..." menu button', () => {
    view = render(<TaskCard task={task} counts={undefined} viewers={undefined} changed={false} ctx={ctx(false)} />);
    expect(view.container.querySelector('button[aria-label="Drag Replace valve"]')).not.toBeNull();
    const menu = view.container.querySelector('button[aria-haspopup="menu"]');
    expect(menu?.getAttribute('aria-label')).toBe('Move to… Replace valve');
  });

  it('gives viewers neither', () => {
    view = render(<TaskCard task={task} counts={undefined} viewers={undefined} changed={false} ctx={ctx(true)} />);
    expect(view.container.querySelector('.drag-handle')).toBeNull();
    expect(view.container.querySelector('button[aria-haspopup="menu"]')).toBeNull();
    expect(view.container.querySelectorAll('button')).toHaveLength(0);
  });
  it('renders again for a new transform or drag state, but not for a transition change of a card without a transform', () => {
    const context = ctx(false);
    const setNodeRef = vi.fn();
    const drag = (style: DragBindings['style'], isDragging = false): DragBindings => ({ setNodeRef, style, isDragging });
    const card = (d: DragBindings) => <TaskCard task={task} counts={undefined} viewers={undefined} changed={false} ctx={context} drag={d} />;
    view = render(card(drag({ transform: undefined, transition: 'transform 200ms ease' })));
    const article = () => view!.container.querySelector('article')!;
    // A drop: dnd-kit's transition goes from the sorting one to none; nothing visible can change.
    view.rerender(card(drag({ transform: undefined, transition: undefined })));
    expect(article().style.transition).toBe('transform 200ms ease');
    // A transform comes with its transition, and leaving it takes the transition given then.
    view.rerender(card(drag({ transform: 'translate3d(0px, 40px, 0)', transition: 'transform 0ms linear' })));
    expect(article().style.transform).toBe('translate3d(0px, 40px, 0)');
    expect(article().style.transition).toBe('transform 0ms linear');
    view.rerender(card(drag({ transform: undefined, transition: 'transform 200ms ease' })));
    expect(article().style.transform).toBe('');
    expect(article().style.transition).toBe('transform 200ms ease');
    view.rerender(card(drag({ transform: undefined, transition: 'transform 200ms ease' }, true)));
    expect(article().getAttribute('data-dragging')).toBe('true');
  });
});
