// Small inline icons (system fonts do not all carry emoji glyphs). Decorative: always aria-hidden.
const common = { width: 14, height: 14, viewBox: '0 0 16 16', fill: 'none', stroke: 'currentColor', strokeWidth: 1.6, 'aria-hidden': true } as const;

export const CommentIcon = () => (
  <svg {...common}>
    <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" strokeLinejoin="round" />
  </svg>
);
export const AttachmentIcon = () => (
  <svg {...common}>
    <path d="M10.5 4.5 5.8 9.2a1.4 1.4 0 0 0 2 2l5-5a2.8 2.8 0 0 0-4-4l-5 5a4.2 4.2 0 0 0 6 6l4.2-4.2" strokeLinecap="round" />
  </svg>
);
export const ChecklistIcon = () => (
  <svg {...common}>
    <rect x="2.5" y="2.5" width="11" height="11" rx="2" />
    <path d="m5.2 8.2 2 2 3.8-4.2" strokeLinecap="round" strokeLinejoin="round" />
  </svg>
);
export const EyeIcon = () => (
  <svg {...common}>
    <path d="M1.5 8s2.4-4.5 6.5-4.5S14.5 8 14.5 8s-2.4 4.5-6.5 4.5S1.5 8 1.5 8z" />
    <circle cx="8" cy="8" r="2" />
  </svg>
);
export const GripIcon = () => (
  <svg {...common} fill="currentColor" stroke="none">
    {[4, 8, 12].flatMap((y) => [6, 10].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.3" />))}
  </svg>
);
export const UndoIcon = () => (
  <svg {...common} width={18} height={18}>
    <path d="M5.5 4 2.5 7l3 3" strokeLinecap="round" strokeLinejoin="round" />
    <path d="M3 7h6.5a4 4 0 0 1 0 8H7" strokeLinecap="round" />
  </svg>
);
export const RedoIcon = () => (
  <svg {...common} width={18} height={18}>
    <path d="m10.5 4 3 3-3 3" strokeLinecap="round" strokeLinejoin="round" />
    <path d="M13 7H6.5a4 4 0 0 0 0 8H9" strokeLinecap="round" />
  </svg>
);
